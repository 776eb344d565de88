import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

/** The parts of an app's host.json the local host honours. */
export interface HostSettings {
  /** `extensions.http.routePrefix`; Functions' default is `api`, Keyward uses `''`. */
  readonly routePrefix: string;
  readonly serviceBus: {
    readonly maxConcurrentCalls: number;
    readonly maxAutoLockRenewalDurationMs: number;
    readonly autoCompleteMessages: boolean;
    readonly prefetchCount: number;
  };
}

interface HostJson {
  extensions?: {
    http?: { routePrefix?: string };
    serviceBus?: {
      maxConcurrentCalls?: number;
      maxAutoLockRenewalDuration?: string;
      autoCompleteMessages?: boolean;
      prefetchCount?: number;
    };
  };
}

/**
 * Reads `<appDir>/host.json` with the Service Bus extension's defaults (ServiceBusOptions.cs): 16 calls per
 * processor, 5 minutes of lock renewal, auto-complete on. The app setting
 * `AzureFunctionsJobHost__extensions__http__routePrefix` overrides the prefix, as on Azure.
 */
export function readHostSettings(appDir: string, env: NodeJS.ProcessEnv): HostSettings {
  const json = JSON.parse(readFileSync(join(appDir, 'host.json'), 'utf8')) as HostJson;
  const http = json.extensions?.http ?? {};
  const sb = json.extensions?.serviceBus ?? {};
  const prefix = env.AzureFunctionsJobHost__extensions__http__routePrefix ?? http.routePrefix ?? 'api';
  return {
    routePrefix: prefix.replace(/^\/+|\/+$/g, ''),
    serviceBus: {
      maxConcurrentCalls: sb.maxConcurrentCalls ?? 16 * availableParallelism(),
      maxAutoLockRenewalDurationMs: parseTimeSpan(sb.maxAutoLockRenewalDuration ?? '00:05:00'),
      autoCompleteMessages: sb.autoCompleteMessages ?? true,
      prefetchCount: sb.prefetchCount ?? 0,
    },
  };
}

/** Parses a .NET TimeSpan as host.json writes it: `[d.]hh:mm:ss[.fff]`. */
export function parseTimeSpan(value: string): number {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(value.trim());
  if (!match) throw new Error(`Invalid TimeSpan "${value}" in host.json (expected hh:mm:ss).`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = '0'] = match;
  const ms = Number(fraction.padEnd(3, '0'));
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + ms;
}

/**
 * Resolves a binding expression of the form `%SETTING%` from the app settings, as the host does for queue
 * names and schedules. Anything else is returned unchanged.
 */
export function resolveSetting(value: string, env: NodeJS.ProcessEnv): string {
  const match = /^%([^%]+)%$/.exec(value);
  if (!match?.[1]) return value;
  const resolved = env[match[1]];
  if (resolved === undefined || resolved === '') {
    throw new Error(`App setting "${match[1]}" referenced by "${value}" is not set.`);
  }
  return resolved;
}
