import type { TokenCredential } from '@azure/core-auth';
import { readAppSetting } from '../config/app-settings';
import { registerTelemetryHooks } from './invocation-spans';

let started = false;

/**
 * Sends traces and metrics to Application Insights through the Azure Monitor OpenTelemetry distro, when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set (the Bicep sets it); otherwise registers nothing and sends nothing.
 * The resource has local (instrumentation-key) auth disabled, so the exporter authenticates with the app's
 * user-assigned managed identity (AZURE_CLIENT_ID). Returns whether telemetry is on. Call it first in the app entry,
 * before any other hook is registered: the distro patches modules (http) loaded after it, and hook order matters
 * (see registerTelemetryHooks).
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env): boolean {
  if (started) return true;
  const connectionString = readAppSetting('APPLICATIONINSIGHTS_CONNECTION_STRING', env);
  if (!connectionString) return false;
  // Before the distro, whose own preInvocation hook must wrap ours (see registerTelemetryHooks).
  registerTelemetryHooks();
  // Loaded only here: the distro and its SDKs cost cold-start time that an app without telemetry never pays.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { useAzureMonitor } = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  const credential = managedIdentity(readAppSetting('AZURE_CLIENT_ID', env));
  try {
    useAzureMonitor({ azureMonitorExporterOptions: { connectionString, ...(credential ? { credential } : {}) } });
  } catch (error) {
    // Telemetry never stops the app. The error's name only: its message may quote the connection string.
    console.warn(`Telemetry is off: the Azure Monitor distro did not start (${(error as Error)?.name ?? 'Error'}).`);
    return false;
  }
  started = true;
  return true;
}

function managedIdentity(clientId: string): TokenCredential | undefined {
  if (!clientId) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ManagedIdentityCredential } = require('@azure/identity') as typeof import('@azure/identity');
  return new ManagedIdentityCredential({ clientId });
}
