// ESLint for the code we maintain (`npm run lint:code`, part of `npm test`). Prettier owns the
// formatting (`npm run lint:format`); this file owns what a formatter cannot see: promises nobody
// awaits, unused code, React's rules of hooks. Type-aware, so it reads tsconfig.json as tsc does.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Generated or built output, and the reader's exercise files: how they write their answer is
    // theirs (`npm run check` judges them; their starters are checked through recorded hashes).
    ignores: [
      'node_modules/',
      'build/',
      '.docusaurus/',
      '.statelab/',
      'static/',
      'coverage/',
      'notebooks/exercises/',
      'notebooks/.tmp-*/',
      'tests/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its error and its ordering: say `void` when that is meant.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // A `let` read by a closure before its one assignment cannot be a `const`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // .ts too: a hook may live beside plain helpers (src/theme/server-html.ts).
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    // The rules of hooks themselves; the React Compiler's extra rules (v7's recommended set) judge
    // patterns this site uses on purpose, such as a simulation kept in a ref and read in render.
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // CommonJS files load their modules with require(), as CommonJS does.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Plain JavaScript tools and hosts run under Node.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        __filename: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
      },
    },
  },
);
