import { CEL_LIMITS, CelRuleError, compileCondition } from './compliance-cel';
import type { ComplianceInventory, Resource, SecretFacts } from './compliance-facts';
import { customRule, evaluateRules } from './compliance-engine';

const secret = (name: string, daysToExpiry: number, hasExpiry = true): Resource<'secret'> => {
  const facts: SecretFacts = {
    id: `sub_kv~${name}`,
    name,
    vaultName: 'kv',
    subscriptionId: 'sub',
    vaultRbac: true,
    vaultTags: { env: 'prod' },
    tags: {},
    enabled: true,
    hasExpiry,
    daysToExpiry,
    hasNotBefore: false,
    contentType: '',
    daysSinceUpdate: 10,
  };
  return { ref: { scope: 'secret', key: facts.id, name, vaultName: 'kv', subscriptionId: 'sub' }, facts };
};
const inventory = (secrets: Resource<'secret'>[]): ComplianceInventory => ({
  subscriptions: [],
  vaults: [],
  secrets,
  keys: [],
  certificates: [],
  appCredentials: [],
  apps: [],
  unreadable: [],
});

function refusal(source: string): CelRuleError {
  try {
    compileCondition('secret', source);
  } catch (error) {
    if (error instanceof CelRuleError) return error;
    throw error;
  }
  throw new Error(`compiled: ${source}`);
}

describe('CEL conditions', () => {
  it('evaluates typed facts: ints, maps, strings and macros', () => {
    const c = compileCondition(
      'secret',
      'secret.hasExpiry && secret.daysToExpiry > 30 && secret.vaultTags["env"] == "prod"',
    );
    expect(c.evaluate(secret('a', 40).facts)).toBe(true);
    expect(c.evaluate(secret('b', 20).facts)).toBe(false);
    expect(
      compileCondition('secret', '["a","b"].exists(x, secret.name.startsWith(x))').evaluate(secret('bz', 1).facts),
    ).toBe(true);
  });

  it('refuses syntax, unknown fields and non-bool conditions with the position', () => {
    expect(refusal('secret.hasExpiry &&')).toMatchObject({ line: 1 });
    const unknownField = refusal('secret.nmae == "x"');
    expect(unknownField.message).toMatch(/nmae/);
    expect(unknownField.column).toBe(8); // "nmae" starts at the 8th character
    expect(refusal('vault.softDeleteEnabled').message).toMatch(/vault/);
    expect(refusal('secret.daysToExpiry + 1').message).toMatch(/bool/);
    expect(refusal('\n\n  secret.name +').line).toBe(3);
  });

  it('refuses what could run long: regular expressions, deep nesting, huge sources, nested comprehensions', () => {
    expect(refusal('secret.name.matches("(a+)+$")').message).toMatch(/matches/);
    expect(refusal(`${'('.repeat(100)}true${')'.repeat(100)}`).message).toMatch(/depth/i);
    expect(refusal(`secret.enabled ${'|| secret.enabled '.repeat(200)}`).message).toMatch(/longer|nodes|depth/i);
    expect(refusal('[1,2].all(a, [1,2].all(b, [1,2].all(c, a + b + c > 0)))').message).toMatch(/nested/);
    expect(() => compileCondition('secret', '[1,2].all(a, [1,2].all(b, a + b > 0))')).not.toThrow();
  });

  it('never throws anything but CelRuleError, whatever the input (fuzz: random and hostile expressions)', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const atoms = [
      'secret.name',
      'secret.daysToExpiry',
      'secret.tags',
      '"x"',
      '1',
      '2.5',
      'true',
      'null',
      '[1,2]',
      '{"a":1}',
      'b"\\x00"',
      'size(secret.name)',
      'dyn(1)',
      'int("9")',
      'timestamp("2026-01-01T00:00:00Z")',
      'duration("1h")',
    ];
    const ops = [
      ' + ',
      ' - ',
      ' * ',
      ' / ',
      ' % ',
      ' && ',
      ' || ',
      ' == ',
      ' < ',
      ' in ',
      '.',
      '[',
      ']',
      '(',
      ')',
      '?',
      ':',
      '!',
      ',',
      ' ',
      '\u0000',
      '\\',
      '"',
      "'",
      '`',
      '${',
      'constructor',
      '__proto__',
      'process.exit(1)',
      'require("fs")',
      ';',
      '\n',
    ];
    const sources: string[] = [
      'a'.repeat(CEL_LIMITS.maxLength + 1),
      '['.repeat(5000),
      '!'.repeat(3000) + 'true',
      `${'[1,'.repeat(300)}1${']'.repeat(300)}`,
      '{"__proto__": 1}["__proto__"] == 1',
      'secret.constructor.constructor("return process")()',
      'this.process',
      `"${'x'.repeat(1990)}"`,
    ];
    for (let i = 0; i < 1500; i++) {
      let s = '';
      const parts = 1 + rand(12);
      for (let j = 0; j < parts; j++) s += rand(2) ? atoms[rand(atoms.length)] : ops[rand(ops.length)];
      sources.push(s);
    }
    let compiled = 0;
    for (const source of sources) {
      try {
        const c = compileCondition('secret', source);
        compiled += 1;
        try {
          expect(typeof c.evaluate(secret('a', 1).facts)).toBe('boolean');
        } catch (error) {
          // An evaluation error (division by zero, a missing map key) is the engine's "not evaluated".
          expect(error).toBeInstanceOf(Error);
        }
      } catch (error) {
        expect(error).toBeInstanceOf(CelRuleError);
      }
    }
    expect(compiled).toBeGreaterThan(0);
    expect(compiled).toBeLessThan(sources.length);
  });
});

describe('rule evaluation', () => {
  it('gives passed/failed per resource and "not evaluated" when the condition cannot evaluate', () => {
    const rule = customRule({
      id: 'CUSTOM-1',
      title: 't',
      severity: 'high',
      scope: 'secret',
      condition: 'secret.daysToExpiry / (secret.daysToExpiry - 5) > 0',
    });
    const { results, runs } = evaluateRules(inventory([secret('a', 10), secret('b', 2), secret('c', 5)]), [rule], {
      budgetMs: 1000,
      nowMs: () => 0,
      keep: new Set(['passed', 'failed', 'notEvaluated']),
    });
    expect(results.map((r) => [r.ref.name, r.outcome])).toEqual([
      ['a', 'passed'],
      ['b', 'failed'],
      ['c', 'notEvaluated'],
    ]);
    expect(runs[0]).toMatchObject({ passed: 1, failed: 1, notEvaluated: 1, budgetExceeded: false });
  });

  it('stops a rule that takes too long on one resource', () => {
    let t = 0;
    const rule = customRule({
      id: 'CUSTOM-3',
      title: 't',
      severity: 'low',
      scope: 'secret',
      condition: 'secret.hasExpiry',
    });
    // The 3rd resource "takes" 100 ms (the clock jumps during its check), over a 50 ms per-resource budget: its
    // result stands, the 7 after it are not evaluated.
    const readings = [0, 0, 1, 1, 2, 2, 102];
    const { runs } = evaluateRules(inventory(Array.from({ length: 10 }, (_, i) => secret(`s${i}`, 10))), [rule], {
      budgetMs: 1e9,
      itemBudgetMs: 50,
      nowMs: () => readings[t++] ?? 200,
      keep: new Set(),
    });
    expect(runs[0]).toMatchObject({ passed: 3, notEvaluated: 7, budgetExceeded: true });
  });

  it('stops a rule at its time budget: the remaining resources are not evaluated, never judged', () => {
    // A clock that advances 10 ms per reading stands in for a slow rule (no wall-clock limit in the test).
    let t = 0;
    const rule = customRule({
      id: 'CUSTOM-2',
      title: 't',
      severity: 'low',
      scope: 'secret',
      condition: 'secret.hasExpiry',
    });
    const { runs } = evaluateRules(inventory(Array.from({ length: 100 }, (_, i) => secret(`s${i}`, 10))), [rule], {
      budgetMs: 50,
      nowMs: () => (t += 10),
      keep: new Set(),
    });
    expect(runs[0]?.budgetExceeded).toBe(true);
    expect(runs[0]?.passed).toBeLessThan(10);
    expect((runs[0]?.passed ?? 0) + (runs[0]?.notEvaluated ?? 0)).toBe(100);
  });
});
