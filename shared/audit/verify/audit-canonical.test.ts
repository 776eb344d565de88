import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENESIS_HASH, canonicalJson, entryHashInput, hashEntry } from './audit-canonical';

describe('canonicalJson (RFC 8785 subset)', () => {
  it('sorts keys by UTF-16 code units at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' }, A: false })).toBe(
      '{"A":false,"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}',
    );
    // "\u00e9" (é) sorts after "z"; "\ud83d\ude00" (😀, a surrogate pair) sorts after "\uffff"-less BMP letters.
    expect(canonicalJson({ é: 1, z: 2, '😀': 3, ｚ: 4 })).toBe('{"z":2,"é":1,"😀":3,"ｚ":4}');
  });

  it('serialises strings and numbers as ECMAScript JSON does', () => {
    expect(canonicalJson({ s: 'quote " backslash \\ newline \n tab \t ctl \u0001 uni é' })).toBe(
      '{"s":"quote \\" backslash \\\\ newline \\n tab \\t ctl \\u0001 uni é"}',
    );
    expect(canonicalJson([1, 1.5, -0, 1e21, 0.000001, 1e-7])).toBe('[1,1.5,0,1e+21,0.000001,1e-7]');
    expect(() => canonicalJson([Number.NaN])).toThrow('non-finite');
  });
});

describe('entry hash (version 1)', () => {
  const fields = {
    seq: 1,
    timestamp: '2026-11-22T10:00:00.000Z',
    actorType: 'user',
    actorId: 'u-1',
    actorName: 'Ada',
    action: 'settings.updated',
    target: 'settings/general',
    outcome: 'success',
    details: { setting: 'timezone', old: 'UTC', new: 'CET' },
    correlationId: 'c-1',
    prevHash: GENESIS_HASH,
  };

  it('hashes exactly the documented serialisation (docs/audit.md worked example)', () => {
    const expected =
      '{"action":"settings.updated","actorId":"u-1","actorName":"Ada","actorType":"user","correlationId":"c-1",' +
      '"details":{"new":"CET","old":"UTC","setting":"timezone"},"outcome":"success",' +
      `"prevHash":"${GENESIS_HASH}","seq":1,"target":"settings/general","timestamp":"2026-11-22T10:00:00.000Z","v":1}`;
    expect(entryHashInput(fields)).toBe(expected);
    expect(hashEntry(fields)).toBe(createHash('sha256').update(Buffer.from(expected, 'utf8')).digest('hex'));
    // The specification publishes this example, serialisation and hash, for independent verifiers.
    const spec = readFileSync(join(__dirname, '../../../docs/audit.md'), 'utf8');
    expect(spec).toContain(expected);
    expect(spec).toContain(hashEntry(fields));
  });

  it('changes when any hashed field changes', () => {
    const base = hashEntry(fields);
    for (const change of [
      { seq: 2 },
      { actorName: 'Eve' },
      { details: {} },
      { prevHash: 'f'.repeat(64) },
      { outcome: 'failure' },
    ]) {
      expect(hashEntry({ ...fields, ...change })).not.toBe(base);
    }
  });
});
