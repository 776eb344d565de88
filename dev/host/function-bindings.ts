import type { RegisteredFunction } from './core-api';
import type { RpcBindingInfo } from './core-types';

export interface TriggerBinding {
  readonly name: string;
  readonly binding: RpcBindingInfo;
  /** The binding type, lower-cased: `httptrigger`, `timertrigger`, `servicebustrigger`, … */
  readonly type: string;
}

/** The function's one trigger binding (type ending in `Trigger`, as the library's isTrigger checks). */
export function triggerOf(fn: RegisteredFunction): TriggerBinding {
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    const type = (binding.type ?? '').toLowerCase();
    if (type.endsWith('trigger')) return { name, binding, type };
  }
  throw new Error(`Function "${fn.metadata.name}" has no trigger binding.`);
}

/** Output bindings by binding name (`$return` for the return value). */
export function outputsOf(fn: RegisteredFunction): [string, RpcBindingInfo][] {
  return Object.entries(fn.metadata.bindings).filter(([, binding]) => binding.direction === 'out');
}

export function stringSetting(binding: RpcBindingInfo, key: string): string | undefined {
  const value = binding[key];
  return typeof value === 'string' ? value : undefined;
}

/** Binding types this host can serve; anything else is reported at startup rather than silently ignored. */
export const SUPPORTED_TRIGGERS = ['httptrigger', 'timertrigger', 'servicebustrigger'] as const;
export const SUPPORTED_OUTPUTS = ['http', 'servicebus'] as const;

export function unsupportedBindings(fn: RegisteredFunction): string[] {
  const problems: string[] = [];
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    const type = (binding.type ?? '').toLowerCase();
    const known =
      binding.direction === 'out'
        ? (SUPPORTED_OUTPUTS as readonly string[]).includes(type)
        : (SUPPORTED_TRIGGERS as readonly string[]).includes(type);
    if (!known) problems.push(`${binding.direction ?? 'in'} binding "${name}" of type "${binding.type ?? '?'}"`);
  }
  return problems;
}
