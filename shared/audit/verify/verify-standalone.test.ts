import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The verifier must run with nothing but Node: an auditor compiles this folder alone.
describe('the verifier folder', () => {
  it('imports only Node built-ins and its own siblings', () => {
    const sources = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources).toContain('keyward-verify-audit.ts');
    for (const file of sources) {
      const text = readFileSync(join(__dirname, file), 'utf8');
      const specifiers = [...text.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
      for (const specifier of specifiers) expect(`${file}: ${specifier}`).toMatch(/: (node:[a-z/_]+|\.\/[\w-]+)$/);
    }
  });
});
