import { Environment } from '@marcbachmann/cel-js';
import { celSchemas, customScopes, type CustomScope, type FactsByScope } from './compliance-facts';

/**
 * Custom rule conditions in CEL (the Common Expression Language of Kubernetes admission policies and IAM
 * conditions), through @marcbachmann/cel-js: zero dependencies, a typed environment whose `check` reports unknown
 * variables, fields and overloads with their position, and parse-time limits on AST size and depth. (@bufbuild/cel
 * runs the cel-spec conformance suite too, but its 0.6 API exposes no type checker — an unknown field shows up
 * only when a resource is evaluated — and its parser overflows the stack on deep nesting instead of refusing.)
 * The expression is data: it is parsed and walked, never handed to eval, Function or vm.
 *
 * Bounds, so a hostile rule cannot hang a worker: the source length, the AST's node count and depth (library
 * limits), list/map literal sizes, at most two nested comprehensions, no `matches` (JavaScript regular expressions
 * can backtrack exponentially), and a time budget per rule and scan enforced between resources by the caller.
 */
export const CEL_LIMITS = {
  maxLength: 2000,
  maxAstNodes: 400,
  maxDepth: 24,
  maxListElements: 64,
  maxMapEntries: 64,
  maxCallArguments: 8,
  maxNestedComprehensions: 2,
} as const;

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const FORBIDDEN_CALLS = new Set(['matches']);

/** Where and why a condition was refused: 1-based line and column of the offending token. */
export class CelRuleError extends Error {
  override readonly name = 'CelRuleError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

export interface CompiledCondition {
  readonly scope: CustomScope;
  /** Evaluates against one resource's facts: true = compliant. Throws on an evaluation error. */
  evaluate(facts: FactsByScope[CustomScope]): boolean;
}

let environments: Map<CustomScope, Environment> | undefined;

/** One environment per scope, declaring exactly that scope's variable (built once: construction is costly). */
function environmentFor(scope: CustomScope): Environment {
  environments ??= new Map(
    customScopes.map((s) => {
      const env = new Environment({
        limits: {
          maxAstNodes: CEL_LIMITS.maxAstNodes,
          maxDepth: CEL_LIMITS.maxDepth,
          maxListElements: CEL_LIMITS.maxListElements,
          maxMapEntries: CEL_LIMITS.maxMapEntries,
          maxCallArguments: CEL_LIMITS.maxCallArguments,
        },
      }).registerVariable({ name: s, schema: { ...celSchemas[s] } });
      return [s, env];
    }),
  );
  const env = environments.get(scope);
  if (!env) throw new Error(`no CEL environment for ${scope}`);
  return env;
}

function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, Math.max(0, Math.min(offset, source.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** The library's message without its source excerpt (the caller already has the source). */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').trim().slice(0, 300);
}

function refuse(source: string, message: string, offset: number): never {
  const { line, column } = position(source, offset);
  throw new CelRuleError(message, line, column);
}

interface AstNode {
  readonly op: string;
  readonly args: unknown;
  readonly pos?: number;
}

const isNode = (value: unknown): value is AstNode =>
  typeof value === 'object' && value !== null && typeof (value as { op?: unknown }).op === 'string';

/** Walks the AST (already bounded in size and depth by the parser) for forbidden calls and nested comprehensions. */
function inspect(source: string, node: unknown, comprehensions: number): void {
  if (Array.isArray(node)) {
    for (const child of node) inspect(source, child, comprehensions);
    return;
  }
  if (!isNode(node)) return;
  let depth = comprehensions;
  if ((node.op === 'rcall' || node.op === 'call') && Array.isArray(node.args)) {
    const name = node.args[0];
    if (typeof name === 'string' && FORBIDDEN_CALLS.has(name))
      refuse(source, `${name}() is not allowed in rules; use startsWith, endsWith or contains`, node.pos ?? 0);
    if (typeof name === 'string' && COMPREHENSIONS.has(name) && node.op === 'rcall') {
      depth += 1;
      if (depth > CEL_LIMITS.maxNestedComprehensions)
        refuse(source, `at most ${CEL_LIMITS.maxNestedComprehensions} nested comprehensions`, node.pos ?? 0);
    }
  }
  inspect(source, node.args, depth);
}

/** The JavaScript values the library expects: CEL `int` fields as BigInt. */
function toCelInput(scope: CustomScope, facts: FactsByScope[CustomScope]): Record<string, unknown> {
  const schema: Readonly<Record<string, string>> = celSchemas[scope];
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(facts)) {
    out[name] = schema[name] === 'int' && typeof value === 'number' ? BigInt(Math.trunc(value)) : value;
  }
  return { [scope]: out };
}

/**
 * Parses and type-checks a condition for a scope; it must be a bool expression over that scope's variable.
 * Throws CelRuleError with the position of the problem.
 */
export function compileCondition(scope: CustomScope, source: string): CompiledCondition {
  if (source.trim().length === 0) refuse(source, 'the condition is empty', 0);
  if (source.length > CEL_LIMITS.maxLength)
    refuse(source, `the condition is longer than ${CEL_LIMITS.maxLength} characters`, CEL_LIMITS.maxLength);
  const env = environmentFor(scope);
  let program: ReturnType<Environment['parse']>;
  try {
    program = env.parse(source);
  } catch (error) {
    // A parse failure (syntax, limits) or a stack overflow on something the limits missed: refused, never a crash.
    const node = (error as { node?: { pos?: number } }).node;
    refuse(source, firstLine(error instanceof Error ? error.message : 'invalid expression'), node?.pos ?? 0);
  }
  inspect(source, (program as unknown as { ast: unknown }).ast, 0);
  const checked = program.check();
  if (!checked.valid) {
    const node = (checked.error as { node?: { pos?: number } } | undefined)?.node;
    refuse(source, firstLine(checked.error?.message ?? 'type error'), node?.pos ?? 0);
  }
  if (checked.type !== 'bool') refuse(source, `the condition must be a bool expression, not ${checked.type}`, 0);
  return {
    scope,
    evaluate(facts) {
      return program(toCelInput(scope, facts)) === true;
    },
  };
}
