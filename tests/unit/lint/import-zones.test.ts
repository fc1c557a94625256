/**
 * The import zones of eslint.config.js (docs/architecture.md, "Folders"), checked by a real ESLint
 * run over the real config: each forbidden import fails with its zone's message, and the imports
 * the map allows pass. The files need not exist; ESLint picks the config blocks by path.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import type { Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function lint(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages;
}

/** The import-zone messages (static and dynamic imports) for `code` linted as `filePath`. */
async function zoneMessages(filePath: string, code: string): Promise<string[]> {
  const messages = await lint(filePath, code);
  const fatal = messages.filter((m) => m.fatal);
  expect(fatal, 'the snippet must parse').toEqual([]);
  return messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

const forbidden: [file: string, code: string, message: string][] = [
  // widgets reach the lab worker only through its client and protocol
  [
    'src/widgets/x/view.ts',
    "import { saveCheckpoint } from '../../runtime/lab/checkpoint.ts';",
    'Widgets talk to the lab worker only through runtime/lab/client.ts and runtime/lab/protocol.ts',
  ],
  [
    'src/widgets/training-lab/view.ts',
    "import { openSlot } from '../../runtime/lab/checkpoint';",
    'Widgets talk to the lab worker only through runtime/lab/client.ts',
  ],
  [
    'src/widgets/x/view.ts',
    "import { Trainer } from '../../runtime/trainer';",
    "Widgets use only the runtime's public modules",
  ],
  // other folders reach the engine and the emitters only through their index files
  [
    'src/onnx/x.ts',
    "import { conv2d } from '../cnn/ops/conv2d.ts';",
    'Reach the reference engine through src/cnn/index.ts',
  ],
  [
    'src/onnx/layers/x.ts',
    "import type { ConvGeometry } from '../../cnn/geometry.ts';",
    'Reach the reference engine through src/cnn/index.ts',
  ],
  [
    'src/runtime/lab/x.ts',
    "import { buildTrainingModel } from '../../onnx/train';",
    'Reach src/onnx through src/onnx/index.ts',
  ],
  [
    'src/widgets/x/model.ts',
    "import { GraphBuilder } from '@/onnx/builder.ts';",
    'Reach src/onnx through src/onnx/index.ts',
  ],
  [
    'bench/x.ts',
    "import { conv2d } from '../src/cnn/ops/conv2d.ts';",
    'Reach the reference engine through src/cnn/index.ts',
  ],
  // a widget imports only its own folder, src/widgets/shared and the layers below
  [
    'src/widgets/draw-pad/view.ts',
    "import { settingsFrom } from '../training-lab/state.ts';",
    'A widget imports only its own folder, src/widgets/shared and the layers below',
  ],
  [
    'src/widgets/x/X.astro',
    "---\nimport '../training-lab/lab.css';\n---\n<div></div>\n",
    'A widget imports only its own folder',
  ],
  [
    'src/widgets/x/X.astro',
    "---\n---\n<div></div>\n<script>\n  import { openSlot } from '../../runtime/lab/checkpoint';\n  openSlot('x');\n</script>\n",
    'Widgets talk to the lab worker only through runtime/lab/client.ts',
  ],
  [
    'src/widgets/shared/x.ts',
    "import { parse } from '../pooling/state';",
    'A widget imports only its own folder',
  ],
  [
    'src/widgets/x/X.astro',
    "---\nimport { mnistDigit } from '../../site/mnist-sample';\n---\n<div></div>\n",
    'Widgets do not import the site chrome, scripts or tests',
  ],
  [
    'src/widgets/x/x.ts',
    "import { planSplit } from '../../../scripts/build-mnist.mjs';",
    'Widgets do not import the site chrome, scripts or tests',
  ],
  // the engine depends on nothing else in ConvBook
  [
    'src/cnn/x.ts',
    "import { GraphBuilder } from '../onnx/index.ts';",
    'src/cnn depends on nothing else in ConvBook',
  ],
  [
    'src/cnn/ops/x.ts',
    "import { mulberry32 } from '../../data/random.ts';",
    'src/cnn depends on nothing else in ConvBook',
  ],
  // the layers below the widgets never import upwards
  [
    'src/onnx/x.ts',
    "import type { TensorMsg } from '../runtime/protocol';",
    'src/onnx imports only src/cnn',
  ],
  [
    'src/data/x.ts',
    "import { getClient } from '../runtime/client';",
    'src/data imports only src/cnn',
  ],
  [
    'src/runtime/x.ts',
    "import { Heatmap } from '../widgets/shared/heatmap';",
    'src/runtime imports only src/cnn, src/onnx and src/data',
  ],
  [
    'src/components/X.astro',
    "---\nimport { tensor } from '../cnn/index.ts';\n---\n<div></div>\n",
    'Site chrome imports src/site, src/widgets and src/data',
  ],
  [
    'content/lessons/x.mdx',
    "import { tensor } from '@/cnn/index.ts';\n\n# A lesson\n",
    'Lessons import components and widgets only',
  ],
  // onnxruntime-web stays in src/runtime, statically and dynamically
  [
    'src/widgets/x/view.ts',
    "import * as ort from 'onnxruntime-web';",
    'Only src/runtime imports onnxruntime-web',
  ],
  [
    'src/widgets/x/view.ts',
    "export async function load() {\n  return import('onnxruntime-web/wasm');\n}\n",
    'Only src/runtime imports onnxruntime-web',
  ],
  [
    'src/onnx/x.ts',
    "export type { InferenceSession } from 'onnxruntime-web';",
    'Only src/runtime imports onnxruntime-web',
  ],
  [
    'src/widgets/x/view.ts',
    "export async function lab() {\n  return import('../../runtime/lab/checkpoint');\n}\n",
    'Widgets talk to the lab worker only through runtime/lab/client.ts',
  ],
];

describe('import zones (eslint.config.js, no-restricted-imports)', () => {
  it.each(forbidden)('%s: %s fails', async (file, code, message) => {
    const messages = await zoneMessages(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
    expect(messages[0]).toContain('(docs/architecture.md, Folders)');
  });

  const allowed: [file: string, code: string][] = [
    [
      'src/widgets/x/view.ts',
      [
        "import { tensor } from '../../cnn/index.ts';",
        "import { GraphBuilder } from '../../onnx/index.ts';",
        "import { getClient } from '../../runtime/client';",
        "import type { LabEvent } from '../../runtime/lab/protocol';",
        "import { BACKENDS } from '../../runtime/backends';",
        "import { mulberry32 } from '../../data/random.ts';",
        "import { el } from '../shared/dom.ts';",
        "import { parse } from './state.ts';",
        "import source from '../../cnn/ops/conv2d.ts?raw';",
        'export async function lab() {',
        "  return [source, import('../../runtime/lab/client')];",
        '}',
      ].join('\n'),
    ],
    [
      'src/onnx/x.ts',
      "import { convGeometry } from '../cnn/index.ts';\nimport type { Tensor } from '../cnn/index.ts';",
    ],
    ['src/onnx/layers/x.ts', "import { GraphBuilder } from '../builder.ts';"],
    [
      'src/runtime/lab/x.ts',
      "import { tensor } from '../../cnn/index';\nimport { buildForwardModel } from '../../onnx/index';\nimport { epochOrder } from '../../data/random';\nimport { openSlot } from './checkpoint';\nimport * as ort from 'onnxruntime-web';",
    ],
    ['src/cnn/ops/x.ts', "import { tensor } from '../tensor.ts';"],
    ['src/data/x.ts', "import type { Tensor } from '../cnn/index.ts';"],
    [
      'src/components/X.astro',
      "---\nimport { mnistDigit } from '../data/mnist-sample';\nimport Quiz from './Quiz.astro';\nimport { lessons } from '../site/lessons';\n---\n<div></div>\n",
    ],
    [
      'content/lessons/x.mdx',
      "import Pooling from '@/widgets/pooling/Pooling.astro';\nimport Quiz from '@/components/Quiz.astro';\n\n# A lesson\n",
    ],
    ['scripts/x.mjs', "import { planSplit } from '../src/data/split.ts';\nplanSplit([1]);\n"],
  ];
  it.each(allowed)('%s: allowed imports pass', async (file, code) => {
    expect(await zoneMessages(file, code)).toEqual([]);
  });

  it('holds src/widgets/saliency to every widget rule (its lab-internals exemption is gone)', async () => {
    const checkpoint = "import { readCheckpoint } from '../../runtime/lab/checkpoint';";
    expect(await zoneMessages('src/widgets/saliency/view.ts', checkpoint)).toHaveLength(1);
    expect(await zoneMessages('src/widgets/saliency-next/view.ts', checkpoint)).toHaveLength(1);
    for (const code of [
      "import { theme } from '../../site/theme';",
      "import { conv2d } from '../../cnn/ops/conv2d.ts';",
      "import { Trainer } from '../../runtime/trainer';",
      "import { settingsFrom } from '../training-lab/state.ts';",
    ]) {
      expect(await zoneMessages('src/widgets/saliency/view.ts', code), code).toHaveLength(1);
    }
  });
});

describe('one import convention: type-only names in their own `import type` line', () => {
  const inline = "import { convGeometry, type Tensor } from '../cnn/index.ts';";
  const split =
    "import { convGeometry } from '../cnn/index.ts';\nimport type { Tensor } from '../cnn/index.ts';";
  it.each(['src/onnx/x.ts', 'src/widgets/x/view.ts', 'tests/unit/x.test.ts'])(
    '%s: an inline `type` specifier fails, a separate `import type` passes',
    async (file) => {
      expect(await zoneMessages(file, inline)).toEqual([
        expect.stringContaining('their own `import type {'),
      ]);
      expect(await zoneMessages(file, split)).toEqual([]);
    },
  );
});
