#!/usr/bin/env bash
# Restores the real Bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64) into .tools/bicep/ with a throwaway
# tools project and `dotnet restore` (PackageDownload: fetch the package, reference nothing). NuGet is the one
# place this machine can get Bicep from; `az bicep install` downloads from elsewhere and fails here.
# Usage: bash infra/get-bicep.sh        (idempotent; prints the path of the binary)
set -euo pipefail
cd "$(dirname "$0")/.."

BICEP_VERSION="${BICEP_VERSION:-0.49.2}"
# Keep CI output to what matters: no first-run banner, no telemetry.
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
TOOLS_DIR="$PWD/.tools/bicep"
BIN="$TOOLS_DIR/bicep"

if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q "$BICEP_VERSION"; then
  echo "$BIN"
  exit 0
fi

mkdir -p "$TOOLS_DIR/restore"
cat >"$TOOLS_DIR/restore/bicep-tools.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
XML

dotnet restore "$TOOLS_DIR/restore/bicep-tools.csproj" --packages "$TOOLS_DIR/packages" --nologo --verbosity quiet >&2

PKG_DIR="$TOOLS_DIR/packages/azure.bicep.commandline.linux-x64/$BICEP_VERSION"
FOUND="$(find "$PKG_DIR" -type f -name bicep | head -n 1)"
if [ -z "$FOUND" ]; then
  echo "get-bicep: no 'bicep' binary inside $PKG_DIR" >&2
  exit 1
fi
chmod +x "$FOUND"
ln -sf "$FOUND" "$BIN"
"$BIN" --version >&2
echo "$BIN"
