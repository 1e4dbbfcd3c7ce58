// Lint configuration: typescript-eslint's recommended type-aware rules over src, test and bench.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { arrows } from './tools/eslint/arrows.js';

export default tseslint.config(
  {
    ignores: [
      '.scratch/**',
      'dist/**',
      'dist-tools/**',
      'node_modules/**',
      'samples/**',
      'out/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a union of string literals, not an enum.' },
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // cli → run → stages → shared: imports point one way and never in a circle (tools/eslint/arrows.js).
    files: ['src/**/*.ts'],
    plugins: { arrows },
    rules: { 'arrows/one-way': 'error', 'arrows/no-cycle': 'error' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No .only on main.' },
        { selector: "CallExpression[callee.property.name='skip']", message: 'No .skip on main.' },
      ],
    },
  },
  {
    files: ['bin/**/*.js', '*.js', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
