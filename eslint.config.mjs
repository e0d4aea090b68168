// Boundaries enforced, not hoped for (see ../shared/DESIGN.md §5).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'https', 'http2', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'tls',
  'url', 'util', 'worker_threads', 'zlib',
];
const nodePatterns = ['node:*', ...NODE_BUILTINS];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'release/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
