// The boundaries of packages/core (docs/decisions/021-feature-folders.md), checked by dependency-cruiser in
// `npm test` (`pnpm --filter @sopu/core boundaries`) and shown failing on deliberate bad imports in
// src/boundaries.test.ts. Run from packages/core: `npx depcruise src`.

/**
 * The direction between features: each builds on the features named here and on what those build on; shared/
 * builds on nothing. An import the other way is against the direction (and would make a cycle sooner or later).
 */
const DIRECTION = {
  shared: [],
  documents: ['shared'],
  members: ['shared'],
  session: ['shared'],
  comments: ['documents'],
  versions: ['documents'],
  approvals: ['versions'],
  consultation: ['versions'],
  areas: ['documents', 'members'],
  exports: ['approvals', 'consultation'],
  negotiation: ['versions', 'comments'],
  notify: ['comments', 'approvals', 'consultation'],
  identity: ['members', 'session'],
  demo: ['areas', 'approvals', 'consultation', 'comments', 'session', 'negotiation'],
};

/** A feature and everything below it. */
function below(feature, seen = new Set()) {
  for (const next of DIRECTION[feature] ?? []) {
    if (seen.has(next)) continue;
    seen.add(next);
    below(next, seen);
  }
  seen.add('shared');
  return seen;
}

const TEST = '\\.test\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'A cycle between modules: move the piece both need to the feature below both (or to shared/).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...Object.keys(DIRECTION).map((feature) => {
      const allowed = [...below(feature)].filter((f) => f !== feature);
      return {
        name: 'feature-direction',
        comment:
          `${feature} builds on ${allowed.length > 0 ? allowed.join(', ') : 'nothing'} only: it may not import another feature, ` +
          'the package faces (src/index.ts, src/rules.ts) or src/testing.ts. Move the piece both need down, or turn the call around.',
        severity: 'error',
        from: { path: `^src/${feature}/`, pathNot: TEST },
        to: { path: '^src/', pathNot: `^src/(${[feature, ...allowed].join('|')})/` },
      };
    }),
    {
      name: 'no-reach-past-face',
      comment: "Another feature is imported through its face, <feature>/index.ts: its other files are its own. (shared/ has no face: each module of it is public.)",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/(?!$1/|shared/)[^/]+/(?!index\\.ts$)' },
    },
    {
      name: 'no-reach-past-face',
      comment:
        "The package's faces and tests at the root import a feature through its face, <feature>/index.ts. Only src/rules.ts, the browser-safe face, reads pure files directly (a feature's face also carries its database code).",
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$', pathNot: '^src/rules\\.ts$' },
      to: { path: '^src/(?!shared/)[^/]+/(?!index\\.ts$)' },
    },
    {
      name: 'demo-apart',
      comment: 'The demo data depends on the features, never the reverse: only src/testing.ts and tests import src/demo/ (and apps through @sopu/core/demo).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/demo/', '^src/testing\\.ts$', TEST] },
      to: { path: '^src/demo/' },
    },
    {
      name: 'testing-apart',
      comment: 'src/testing.ts is for tests (here and, as @sopu/core/testing, in other packages): no rule or use case imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/testing\\.ts$', TEST] },
      to: { path: '^src/testing\\.ts$' },
    },
    {
      name: 'browser-rules-pure',
      comment: 'src/rules.ts is read by the browser: nothing it reaches may need the database, the session store or Node.',
      severity: 'error',
      from: { path: '^src/rules\\.ts$' },
      to: {
        reachable: true,
        path: [
          '^node:',
          '^(assert|buffer|child_process|crypto|dns|events|fs|http|https|net|os|path|perf_hooks|process|stream|tls|url|util|worker_threads|zlib)(/|$)',
          '(^|/)node_modules/(kysely|@libsql|libsql|@node-rs|lucia|@oslojs|nodemailer|ws|hono|@hono)/',
          '(^|/)(db|auth)/src/',
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^\\.\\./'] },
    exclude: { path: ['^src/.*\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
    },
  },
};
