// @ts-check
import astro from 'eslint-plugin-astro';
import * as mdx from 'eslint-plugin-mdx';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.astro/',
      'node_modules/',
      'public/data/',
      'bench/results/',
      'tests/e2e/.harness-dist/',
    ],
  },
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // Only src/runtime may import onnxruntime-web (see docs/architecture.md).
    files: ['src/**/*.{ts,astro}'],
    ignores: ['src/runtime/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['onnxruntime-web', 'onnxruntime-web/*'],
              message: 'Only src/runtime imports onnxruntime-web.',
            },
          ],
        },
      ],
    },
  },
  {
    // The reference engine stays free of the site, the runtime and the ONNX emitters.
    files: ['src/cnn/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/onnx/**',
                '**/runtime/**',
                '**/widgets/**',
                '**/site/**',
                'onnxruntime-web',
              ],
              message: 'src/cnn depends on nothing else in ConvBook.',
            },
          ],
        },
      ],
    },
  },
  {
    ...mdx.flat,
    files: ['**/*.mdx'],
  },
);
