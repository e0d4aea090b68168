// Boundaries enforced, not hoped for (see ../shared/DESIGN.md §5).
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'https', 'http2', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'tls',
  'url', 'util', 'worker_threads', 'zlib',
];
const nodePatterns = ['node:*', ...NODE_BUILTINS];

/**
 * The layers of src/main, lowest first (see docs/ARCHITECTURE.md). A folder may
 * import its own layer and those below it, never one above.
 *   platform            clock, logger, paths
 *   sources, cache,     the services (summary uses sources and cache)
 *   summary, access,    (access: role view profiles and their filter;
 *   auth                 auth: identity providers and the session)
 *   bridge              dispatch, event hub, renderer files: shared by both transports
 *   app                 composition: configuration -> services
 *   preview, electron,  the transports and the command line
 *   cli
 *   demo                composes the sandbox with the product
 * The sandbox (simulated systems) sits beside the services and is used only by
 * the demo and tests: the product never imports it.
 */
const M = 'src/main';
const ABOVE_SERVICES = [`${M}/bridge`, `${M}/app`, `${M}/preview`, `${M}/electron`, `${M}/cli`, `${M}/demo`];
const layerZones = [
  {
    target: `${M}/platform`,
    from: [`${M}/sources`, `${M}/cache`, `${M}/summary`, `${M}/access`, `${M}/sandbox`, `${M}/auth`, ...ABOVE_SERVICES],
    message: 'platform is the lowest layer: it imports no service.',
  },
  ...['sources', 'cache', 'summary', 'access', 'sandbox', 'auth'].map((folder) => ({
    target: `${M}/${folder}`,
    from: ABOVE_SERVICES,
    message: `${folder} is a service: it must not import bridge, app, preview, electron, cli or demo.`,
  })),
  {
    target: `${M}/audit`,
    from: [`${M}/sources`, `${M}/cache`, `${M}/summary`, `${M}/sandbox`, ...ABOVE_SERVICES],
    message: 'audit (the access log) sits at the cache\'s level beside it: it imports platform and shared only.',
  },
  {
    target: `${M}/platform`,
    from: `${M}/audit`,
    message: 'platform is the lowest layer: it imports no service.',
  },
  {
    target: `${M}/bridge`,
    from: [`${M}/app`, `${M}/preview`, `${M}/electron`, `${M}/cli`, `${M}/demo`],
    message: 'bridge sits below the composition root and the transports.',
  },
  {
    target: `${M}/app`,
    from: [`${M}/preview`, `${M}/electron`, `${M}/cli`, `${M}/demo`],
    message: 'app (composition) must not import a transport or the demo.',
  },
  {
    target: [`${M}/platform`, `${M}/sources`, `${M}/cache`, `${M}/summary`, `${M}/access`, `${M}/auth`, `${M}/bridge`, `${M}/app`, `${M}/preview`, `${M}/electron`, `${M}/cli`],
    from: `${M}/sandbox`,
    message: 'The product never imports the simulated systems: only the demo and tests compose them.',
  },
  {
    target: `${M}/sources/fhir`,
    from: `${M}/sources/hl7v2`,
    message: 'One protocol folder never imports another: share through sources/common.',
  },
  {
    target: `${M}/sources/hl7v2`,
    from: `${M}/sources/fhir`,
    message: 'One protocol folder never imports another: share through sources/common.',
  },
  {
    target: 'src/renderer/components',
    from: 'src/renderer/views',
    message: 'Components are below views: pass what a component needs as props.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'release/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: "Only src/main/electron may import 'electron'." }] },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/shared is platform-free.' }],
          patterns: [
            { group: nodePatterns, message: 'src/shared must not import Node built-ins.' },
            { group: ['**/main/**', '**/renderer/**', 'react', 'react-dom'], message: 'src/shared imports nothing from main or renderer.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches services only through SamsynApi.' }],
          patterns: [
            { group: nodePatterns, message: 'The renderer has no Node.' },
            { group: ['**/main/**'], message: 'The renderer reaches services only through SamsynApi.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-console': 'error',
    },
  },
  {
    files: ['src/main/electron/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-console': 'error' },
  },
);
