// @ts-check
import { readdirSync } from 'node:fs';
import astro from 'eslint-plugin-astro';
import * as mdx from 'eslint-plugin-mdx';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------
// Import zones: the "Folders" table of docs/architecture.md, made executable.
//
// Each zone is a list of forbidden import sources (regular expressions over the specifier as
// written: relative, `@/…` or a package). ESLint keeps one option list per rule and file, so every
// zone below spells out its complete list, and the same list is applied to static imports and
// re-exports (no-restricted-imports) and to `import('…')` (no-restricted-syntax).
// Relative specifiers are matched by the folder name they climb into (`../../onnx/…`), which is
// exact as long as no folder inside a zone shares a name with a top-level folder of src/.
// tests/unit/lint/import-zones.test.ts shows that each zone fails with its message.
// ---------------------------------------------------------------------------------------------

const WIDGETS = readdirSync(new URL('./src/widgets', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const CHROME = ['components', 'layouts', 'pages', 'site', 'styles'];
const OUTSIDE_SRC = ['scripts', 'tests', 'bench', 'content', 'public'];

/** A relative or `@/` specifier that climbs into one of the top-level folders `names`. */
const into = (/** @type {string[]} */ names) =>
  `^(?:(?:\\.\\./)+|@/|(?:\\.\\./)*src/)(?:${names.join('|')})(?:/|$)`;
/** @param {string[]} names @param {string} message */
const folders = (names, message) => ({ regex: into(names), message });

const ARCH = '(docs/architecture.md, Folders)';
const ORT = {
  regex: '^onnxruntime-web(?:/|$)',
  message: `Only src/runtime imports onnxruntime-web, and lazily ${ARCH}.`,
};
// `?raw` imports read an op's source text for ShowCode; they are not module dependencies.
const CNN_INTERNALS = {
  regex: '(?:^|/)cnn/(?!index(?:\\.ts)?$)[^?]*$',
  message: `Reach the reference engine through src/cnn/index.ts, not its files ${ARCH}.`,
};
const ONNX_INTERNALS = {
  regex: '(?:^|/)onnx/(?!index(?:\\.ts)?$)[^?]*$',
  message: `Reach src/onnx through src/onnx/index.ts, not its files ${ARCH}.`,
};
const RUNTIME_PUBLIC = ['client', 'protocol', 'backends', 'crosscheck'];
const LAB_PUBLIC = ['client', 'protocol'];
const RUNTIME_INTERNALS = {
  regex: `(?:^|/)runtime/(?!lab/)(?!(?:${RUNTIME_PUBLIC.join('|')})(?:\\.ts)?$)`,
  message: `Widgets use only the runtime's public modules: ${RUNTIME_PUBLIC.map((m) => `runtime/${m}.ts`).join(', ')} ${ARCH}.`,
};
const LAB_INTERNALS = {
  regex: `(?:^|/)runtime/lab/(?!(?:${LAB_PUBLIC.join('|')})(?:\\.ts)?$)`,
  message: `Widgets talk to the lab worker only through runtime/lab/client.ts and runtime/lab/protocol.ts; its checkpoints (IndexedDB) and engines are internal ${ARCH}.`,
};

/** The forbidden list of the widget folder `name` (src/widgets/shared included). */
const widgetZone = (/** @type {string} */ name) => {
  const others = WIDGETS.filter((w) => w !== name && w !== 'shared');
  return [
    ORT,
    CNN_INTERNALS,
    ONNX_INTERNALS,
    RUNTIME_INTERNALS,
    LAB_INTERNALS,
    {
      regex: `^(?:(?:\\.\\./)+(?:widgets/)?|@/widgets/)(?:${others.join('|')})(?:/|$)`,
      message: `A widget imports only its own folder, src/widgets/shared and the layers below ${ARCH}.`,
    },
    folders(
      [...CHROME, ...OUTSIDE_SRC],
      `Widgets do not import the site chrome, scripts or tests; shared code belongs in src/widgets/shared or a lower layer ${ARCH}.`,
    ),
  ];
};

/**
 * One import convention: type-only names come in their own `import type { … }` line, never as
 * inline `type` specifiers beside values. Each import then fits on one line, and the repeated
 * multi-line import lists that the `duplicates` count picked up are gone. ESLint keeps one option
 * list per rule and file, so every zone repeats this selector in its no-restricted-syntax list.
 */
const TYPE_SPECIFIER = {
  selector: "ImportSpecifier[importKind='type']",
  message: "Put type-only names in their own `import type { … } from '…'` line.",
};

/**
 * One flat-config block that forbids `patterns` in `files`, for static and dynamic imports.
 * @param {{ files: string[]; ignores?: string[]; patterns: { regex: string; message: string }[] }} zone
 */
function zone({ files, ignores = [], patterns }) {
  return {
    files,
    ignores,
    rules: {
      'no-restricted-imports': ['error', { patterns }],
      'no-restricted-syntax': [
        'error',
        TYPE_SPECIFIER,
        ...patterns.map(({ regex, message }) => ({
          selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\/')}/]`,
          message,
        })),
      ],
    },
  };
}

const CODE = '*.{ts,mts,js,mjs,astro}';
const zones = [
  zone({
    files: [`src/cnn/**/${CODE}`],
    patterns: [
      ORT,
      folders(
        ['onnx', 'runtime', 'data', 'widgets', ...CHROME, ...OUTSIDE_SRC],
        `src/cnn depends on nothing else in ConvBook ${ARCH}.`,
      ),
    ],
  }),
  zone({
    files: [`src/onnx/**/${CODE}`],
    patterns: [
      ORT,
      CNN_INTERNALS,
      folders(
        ['runtime', 'data', 'widgets', ...CHROME, ...OUTSIDE_SRC],
        `src/onnx imports only src/cnn (through its index) ${ARCH}.`,
      ),
    ],
  }),
  zone({
    files: [`src/runtime/**/${CODE}`],
    patterns: [
      CNN_INTERNALS,
      ONNX_INTERNALS,
      folders(
        ['widgets', ...CHROME, ...OUTSIDE_SRC],
        `src/runtime imports only src/cnn, src/onnx and src/data ${ARCH}.`,
      ),
    ],
  }),
  zone({
    files: [`src/data/**/${CODE}`],
    patterns: [
      ORT,
      CNN_INTERNALS,
      folders(
        ['onnx', 'runtime', 'widgets', ...CHROME, ...OUTSIDE_SRC],
        `src/data imports only src/cnn (through its index) ${ARCH}.`,
      ),
    ],
  }),
  // A widget folder not on disk yet (or a file linted by path only) gets the strictest widget list.
  zone({ files: [`src/widgets/**/${CODE}`], patterns: widgetZone('') }),
  ...WIDGETS.map((w) => zone({ files: [`src/widgets/${w}/**/${CODE}`], patterns: widgetZone(w) })),
  zone({
    files: [...CHROME.map((f) => `src/${f}/**/${CODE}`), `src/${CODE}`],
    patterns: [
      ORT,
      folders(
        ['cnn', 'onnx', 'runtime', ...OUTSIDE_SRC],
        `Site chrome imports src/site, src/widgets and src/data, not the engines ${ARCH}.`,
      ),
    ],
  }),
  zone({
    files: ['content/**/*.mdx'],
    patterns: [
      ORT,
      folders(
        ['cnn', 'onnx', 'runtime', 'data', 'site', 'layouts', 'pages', 'styles'],
        `Lessons import components and widgets only ${ARCH}.`,
      ),
    ],
  }),
  zone({
    files: [`bench/**/${CODE}`, `scripts/**/${CODE}`],
    patterns: [CNN_INTERNALS, ONNX_INTERNALS],
  }),
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.astro/',
      'node_modules/',
      'public/data/',
      'bench/results/',
      'bench/.dist/',
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
    ...mdx.flat,
    files: ['**/*.mdx'],
  },
  { files: [`**/${CODE}`], rules: { 'no-restricted-syntax': ['error', TYPE_SPECIFIER] } },
  ...zones,
);
