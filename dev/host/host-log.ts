import { inspect } from 'node:util';
import type { RpcLogCategory, RpcLogLevel } from './core-types';

/** Where an entry came from: an invocation of a function, or the host/app outside any invocation. */
export interface LogScope {
  readonly functionName?: string;
  readonly invocationId?: string;
}

export type HostLogger = (level: RpcLogLevel, message: string, scope?: LogScope, category?: RpcLogCategory) => void;

/**
 * One line per entry on stdout: time, level, function name and invocation id, then the message. Levels
 * below `minLevel` are dropped, as the real host filters by `logging.logLevel`.
 */
export function createHostLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
  minLevel: RpcLogLevel = 'information',
): HostLogger {
  const threshold = LEVELS.indexOf(minLevel);
  return (level, message, scope, category) => {
    if (level === 'none' || LEVELS.indexOf(level) < threshold) return;
    const where = scope?.functionName
      ? ` [${scope.functionName}${scope.invocationId ? ` ${scope.invocationId}` : ''}]`
      : '';
    const kind = category === 'system' ? ' (system)' : '';
    write(`${new Date().toISOString()} ${level.toUpperCase()}${where}${kind} ${message}\n`);
  };
}

const LEVELS: readonly RpcLogLevel[] = ['trace', 'debug', 'information', 'warning', 'error', 'critical'];

/** Full error text (stack and cause) for the local log; never for a client. */
export function describeError(error: unknown): string {
  return error instanceof Error ? inspect(error, { depth: 4 }) : String(error);
}
