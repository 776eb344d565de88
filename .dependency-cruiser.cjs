// The import-cycle check (`npm run cycles`, part of `npm test`): dependency-cruiser fails when any file can reach
// itself through its imports. What counts as an import:
// - every static `import`/`export … from`, dynamic `import()` and `require()`;
// - type-only imports too (`import type`, `import { type X }`): they vanish from the emitted JavaScript, but a cycle
//   through types is still two modules that each need the other to be understood (tsPreCompilationDeps: true reads
//   the TypeScript source before the compiler elides them).
// There is no allow-list and no baseline of known cycles: a cycle is fixed, not recorded. Only dev/cycles/fixtures is
// left out, because it holds deliberate cycles: dev/cycles/cycle-check.test.ts runs this same config against them
// with KEYWARD_CYCLES_FIXTURES=1, which adds them back (the switch can only make the check stricter, never hide code).
//
// The folders checked are named in package.json's `cycles` script. Module resolution follows tsconfig.json; the
// dashboard's web/tsconfig.json extends it without paths or baseUrl, so one resolution serves web/src as well.

/** The one rule: no module may depend on itself through any chain of imports. */
const forbidden = [
  {
    name: 'no-circular',
    severity: 'error',
    comment:
      'This import closes a cycle between files. Move the shared type or helper into a module both sides can ' +
      'depend on, or split the module, so that imports point one way.',
    from: {},
    to: { circular: true },
  },
];

/** Never cruised: dependencies, build output, local state and tools. */
const alwaysExcluded = '(^|/)(node_modules|dist|coverage|\\.local|\\.tools)/';
/** The deliberate cycle of the check's own test; see dev/cycles/cycle-check.test.ts. */
const fixtures = '^dev/cycles/fixtures/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden,
  options: {
    exclude: { path: process.env.KEYWARD_CYCLES_FIXTURES === '1' ? alwaysExcluded : `${alwaysExcluded}|${fixtures}` },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    skipAnalysisNotInRules: true,
    cache: false,
  },
};
