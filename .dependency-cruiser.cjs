/**
 * The direction of dependencies in src/ (see docs and the house style): `npm run lint` runs
 * `depcruise src` with these rules, and any violation fails it.
 *
 * 1. The domain is pure: no SDK, no network module, and nothing from the layers around it.
 * 2. Adapters of one kind never import another kind's: they meet through the ports in src/domain, and
 *    the composition root (src/compose.ts, src/compose-worker.ts, src/main.ts, src/index.ts) wires them together.
 * 3. No cycles anywhere in src/, type-only imports included (a type cycle is still a tangle).
 * 4. src/ never imports sandbox/ (local tooling: the tenant sandbox, the sandbox console, embedded Azurite).
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'product-imports-no-local-tooling',
      comment:
        'The product (src/) never imports the local tooling in sandbox/ (the tenant sandbox, the sandbox ' +
        'console): it must not ship in, or be served by, the production bot. The one exception is the ' +
        'process entry (src/index.ts) injecting embedded Azurite for local mode (never used in production).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/index\\.ts$' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'entry-imports-only-embedded-azurite',
      comment: 'src/index.ts may take embedded Azurite from sandbox/, and nothing else there.',
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^sandbox/', pathNot: '^sandbox/embedded-azurite\\.ts$' },
    },
    {
      name: 'domain-imports-no-sdk',
      comment:
        'src/domain is pure: it may not import an SDK (Bot Framework, Azure, Microsoft Graph/Teams, restify) ' +
        'or a Node network module. Declare a port in src/domain/ports.ts and implement it in an adapter.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        path: [
          // Packages, and their typings under @types (restify's are there).
          '(^|/)node_modules/(@types/)?(botbuilder|botframework-|restify)[^/]*/',
          '(^|/)node_modules/@(azure|microsoft)/',
          // Node's network modules (`node:https` resolves to `https`).
          '^(node:)?(http|https|http2|net|tls|dgram|dns)(/|$)',
        ],
      },
    },
    {
      name: 'domain-imports-no-outer-layer',
      comment:
        'src/domain may not import an adapter, a use case, the worker or the composition root: they ' +
        'depend on the domain, never the other way round.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        path: [
          '^src/adapters/',
          '^src/usecases/',
          '^src/worker/',
          '^src/(compose|compose-worker|main|index)\\.ts$',
        ],
      },
    },
    {
      name: 'adapters-meet-through-ports',
      comment:
        'An adapter kind (teams, graph, storage, http) may not import another kind: depend on a port or ' +
        'error in src/domain and let the composition root (src/compose.ts, src/compose-worker.ts, src/main.ts, src/index.ts) wire ' +
        'the implementation in.',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/', pathNot: '^src/adapters/$1/' },
    },
    {
      name: 'no-circular',
      comment:
        'Modules in src/ may not import each other in a loop (type-only imports count): move the shared ' +
        'types down into a module both can import.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through `import type` is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
