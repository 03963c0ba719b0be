/**
 * Architecture rules, checked by `npm run lint` (README.md, "Architecture", explains the layers).
 * Layers, top to bottom: the composition root (src/app-context.ts, src/server.ts) → src/http →
 * src/services → src/store, src/engines, src/media → src/core. A layer may import the ones below it.
 */
const ADAPTERS = '^src/(store/(sql|mongo|sqlite|postgres)|engines/(baileys|simulator)|media/(local|s3))/';
const MEDIA_ADAPTERS = '^src/media/((local|s3)/|open\\.ts$)';
const COMPOSITION_ROOT = '^src/(app-context|server)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'Modules that import each other (even only for types) cannot be read, tested or moved one ' +
        'at a time. Move what both need into a third module that both import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-nothing-of-ours',
      severity: 'error',
      comment:
        'src/core is the ground floor that every layer may use; if it imported a layer above, ' +
        'that layer could no longer import it without a cycle.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'config-imports-only-the-ground-floor',
      severity: 'error',
      comment:
        'Every layer reads the configuration; if config.ts imported a layer (the engine port, a ' +
        'service) the layers would import each other through it. It may name the engines ' +
        '(engines/names.ts), which imports nothing.',
      from: { path: '^src/config\\.ts$' },
      to: { path: '^src/', pathNot: '^src/(core/|engines/names\\.ts$)' },
    },
    {
      name: 'http-does-not-import-adapters',
      severity: 'error',
      comment:
        'Routes speak to services and to the ports (store/store.ts, engines/engine.ts), never to a ' +
        'database or an engine directly, so any store or engine can stand behind them.',
      from: { path: '^src/http/' },
      to: { path: ADAPTERS },
    },
    {
      name: 'services-do-not-pick-a-media-store',
      severity: 'error',
      comment:
        'Services store media through the port (media/media-store.ts); which store stands behind it ' +
        '(a directory, an S3 bucket) is chosen by the composition root from MEDIA_STORE.',
      from: { path: '^src/services/' },
      to: { path: MEDIA_ADAPTERS },
    },
    {
      name: 'store-and-engines-do-not-import-services-or-http',
      severity: 'error',
      comment:
        'The ports and their adapters (store/sql, store/mongo, engines/baileys, ...) are below the ' +
        'services: they persist and talk to WhatsApp, the rules belong to services and HTTP ' +
        'shapes to routes.',
      from: { path: '^src/(store|engines|media)/' },
      to: { path: '^src/(services|http)/' },
    },
    {
      name: 'services-do-not-import-http',
      severity: 'error',
      comment:
        'Services hold the rules and must work without HTTP (workers, the supervisor, tests); ' +
        'routes call services, never the other way.',
      from: { path: '^src/services/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'below-the-root-does-not-import-the-root',
      severity: 'error',
      comment:
        'app-context.ts and server.ts wire everything together; services, stores, engines and core ' +
        'get what they need injected, and shared types live in src/core.',
      from: { path: '^src/(core|store|engines|media|services)/' },
      to: { path: COMPOSITION_ROOT },
    },
    {
      name: 'src-does-not-import-tooling',
      severity: 'error',
      comment:
        'src/ is what ships; bench/, test/, emulator/, scripts/ and the dashboard (web/) are built ' +
        'or run beside it and are not in the server build.',
      from: { path: '^src/' },
      to: { path: '^(bench|test|emulator|scripts|web)/' },
    },
    {
      name: 'web-imports-only-schemas',
      severity: 'error',
      comment:
        'The dashboard is a separate bundle: from the server it takes only the shared TypeBox ' +
        'schemas (src/http/schemas), to derive its API types from them.',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/http/schemas/' },
    },
    {
      name: 'web-imports-schemas-as-types',
      severity: 'error',
      comment:
        'A value import would bundle TypeBox and server code into the dashboard; `import type` ' +
        'takes the types and leaves nothing in the bundle.',
      from: { path: '^web/' },
      to: { path: '^src/http/schemas/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'imports-resolve',
      severity: 'error',
      comment:
        'An import the checker cannot resolve is invisible to every rule above; it is a typo or a ' +
        'missing package.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    // Type-only imports are dependencies too: a cycle through types is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
