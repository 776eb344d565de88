#!/usr/bin/env bash
# Grants Keyward's managed identity what it needs OUTSIDE its own resource group, which no deployment can grant:
#   - Reader (discovers vaults) and Key Vault Reader (reads secret/certificate/key METADATA, never values) on each
#     subscription to scan;
#   - the Microsoft Graph application permission Application.Read.All (app registration credential scanning).
# Dry-run by default: prints the az commands. With --apply it runs them (needs Owner / User Access Administrator on
# the subscriptions and Privileged Role Administrator, or equivalent, in Entra for the Graph permission).
#
# Usage: infra/grant-access.sh --principal-id <managedIdentityPrincipalId output> [--apply] [--no-graph] SUB_ID...
set -euo pipefail

readonly READER_ROLE=acdd72a7-3385-48ef-bd42-f606fba81ae7
readonly KEY_VAULT_READER_ROLE=21090545-7ca7-4776-b22c-e363652d74d2
readonly GRAPH_APP_ID=00000003-0000-0000-c000-000000000000
readonly APPLICATION_READ_ALL=9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30
readonly GUID_RE='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

usage() {
  echo "usage: $0 --principal-id <object id> [--apply] [--no-graph] <subscription id>..." >&2
  exit 2
}

principal=''
apply=false
graph=true
subscriptions=()
while [ $# -gt 0 ]; do
  case "$1" in
    --principal-id) principal="${2:-}"; shift 2 || usage ;;
    --apply) apply=true; shift ;;
    --no-graph) graph=false; shift ;;
    -h | --help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) subscriptions+=("$1"); shift ;;
  esac
done
[[ "$principal" =~ $GUID_RE ]] || { echo "--principal-id must be a GUID" >&2; usage; }
[ ${#subscriptions[@]} -gt 0 ] || { echo "name at least one subscription id" >&2; usage; }
for sub in "${subscriptions[@]}"; do
  [[ "$sub" =~ $GUID_RE ]] || { echo "not a subscription id: $sub" >&2; exit 2; }
done

# Prints the command; runs it too with --apply. Arguments are quoted so the printed line can be pasted.
run() {
  printf '%q ' "$@"
  printf '\n'
  if $apply; then "$@"; fi
}

$apply || echo "# dry run: nothing is changed; re-run with --apply to grant" >&2
for sub in "${subscriptions[@]}"; do
  for role in "$READER_ROLE" "$KEY_VAULT_READER_ROLE"; do
    run az role assignment create --assignee-object-id "$principal" --assignee-principal-type ServicePrincipal \
      --role "$role" --scope "/subscriptions/$sub"
  done
done

if $graph; then
  # An app role assignment on Microsoft Graph's service principal in this tenant (what "admin consent" to an
  # application permission creates for a managed identity, which has no consent screen).
  if $apply; then
    graph_sp="$(az ad sp show --id "$GRAPH_APP_ID" --query id --output tsv)"
  else
    graph_sp='<object id of: az ad sp show --id 00000003-0000-0000-c000-000000000000 --query id -o tsv>'
  fi
  run az rest --method POST \
    --uri "https://graph.microsoft.com/v1.0/servicePrincipals/$principal/appRoleAssignments" \
    --headers Content-Type=application/json \
    --body "{\"principalId\":\"$principal\",\"resourceId\":\"$graph_sp\",\"appRoleId\":\"$APPLICATION_READ_ALL\"}"
fi
