import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'test-output', 'bench-data', 'public'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // The app meets the core only through its public faces: src/index.ts (openAnalysis and the layer
    // namespaces) and each layer's index.ts. A deep path would tie the UI to a layer's inside.
    files: ['web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '(^|/)src/(?!(?:[a-z0-9]+/)?index(?:\\.[jt]s)?$)',
          message: 'web/ imports the core through src/index.ts or a layer\'s index.ts (src/<layer>/index.ts) only.',
        }],
      }],
    },
  },
  {
    // The core stays free of the browser UI and of React.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['react', 'react-*', 'zustand', 'recharts', '**/web/**'] }],
      'no-restricted-globals': ['error', 'document', 'window'],
    },
  },
);
