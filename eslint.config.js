// Lint rules, including the design's walls: shared imports nothing else and no platform; the backend and
// web mode never import electron or the renderer; the renderer reaches the backend only through the contract.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOnly = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };

export default tseslint.config(
  { ignores: ['out/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.node } },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['electron/tsconfig.json', 'renderer/tsconfig.json', 'tests/tsconfig.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './electron/shared',
              from: ['./electron/backend', './electron/main', './electron/preload', './electron/web', './renderer'],
              message: 'electron/shared is pure: it imports nothing outside itself.',
            },
            {
              target: './electron/backend',
              from: ['./electron/main', './electron/preload', './electron/web', './renderer'],
              message: 'The backend is plain Node: it serves main and web mode, and never imports them or the renderer.',
            },
            {
              target: './electron/web',
              from: ['./electron/main', './electron/preload', './renderer'],
              message: 'Web mode hosts the backend; it never imports the Electron side or the renderer.',
            },
            {
              target: './electron/preload',
              from: ['./electron/backend', './electron/main', './electron/web', './renderer'],
              message: 'The preload only forwards the RPC channel.',
            },
            {
              target: './electron/main',
              from: ['./electron/web', './renderer'],
              message: 'Electron main is glue over the backend.',
            },
            {
              target: './renderer',
              from: ['./electron/backend', './electron/main', './electron/preload', './electron/web'],
              message: 'The renderer reaches the backend only through the RPC contract (electron/shared).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-nodejs-modules': 'error',
      'no-restricted-imports': ['error', { paths: [electronOnly] }],
    },
  },
  {
    files: ['electron/backend/**/*.ts', 'electron/web/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnly] }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  { files: ['renderer/**/*.tsx'], ...jsxA11y.flatConfigs.recommended },
);
