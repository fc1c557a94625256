/**
 * onnxruntime-web behind the lab's engine interfaces: the training step runs through the
 * runtime's Trainer (parameters stay on the device; only loss and accuracy come back), the
 * evaluator through a forward session whose parameters are graph inputs, so the current weights
 * are fed without rebuilding it.
 */
import { dropoutLayerSeed, dropoutMask } from '../../cnn/index';
import type { NetworkSpec, OptimizerSpec } from '../../cnn/index';
import { buildForwardModel, buildTrainingModel } from '../../onnx/index';
import type { Formulations, TrainingModel } from '../../onnx/index';
import { sessionOptions } from '../ort';
import type { Ort } from '../ort';
import type { TensorMsg } from '../protocol';
import { Trainer } from './ort-trainer';
import type { Evaluator, LabTrainer, State, StepArgs, StepOutcome } from './engines';
import { stepScalars } from './schedule';

type OrtBackend = 'webgpu' | 'wasm';
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

/**
 * Max-pool backward per execution provider: on WebGPU every node must run on the GPU ('mask',
 * float ops only); on wasm the fastest measured ('slices', the default).
 */
export function formulationsFor(backend: OrtBackend): Partial<Formulations> {
  // wasm: MaxPool's Indices output, not the default strided Slices (fastest in Node): in Chromium
  // the tutorial net's step ran 8–15 % faster on 2 threads with it, 3–4 % on 1 (bench/browser,
  // alternating rounds); docs/benchmarks.md.
  return backend === 'webgpu' ? { maxPoolGrad: 'mask' } : { maxPoolGrad: 'indices' };
}

const f32 = (dims: readonly number[], data: Float32Array): TensorMsg => ({
  dims,
  type: 'float32',
  data,
});

export class OrtLabTrainer implements LabTrainer {
  private constructor(
    private readonly trainer: Trainer,
    private readonly model: Omit<TrainingModel, 'bytes'>,
    private readonly spec: NetworkSpec,
    private readonly opt: OptimizerSpec,
    readonly device: OrtBackend,
  ) {}

  static async create(
    ort: Ort,
    backend: OrtBackend,
    spec: NetworkSpec,
    opt: OptimizerSpec,
    batch: number,
    state: State,
  ): Promise<OrtLabTrainer> {
    const model = buildTrainingModel(spec, opt, {
      batch,
      formulations: formulationsFor(backend),
    });
    const init: Record<string, TensorMsg> = {};
    for (const [k, t] of Object.entries(state)) init[k] = f32(t.dims, t.data);
    const trainer = await Trainer.create(ort, backend, {
      model: model.bytes,
      updated: model.updated,
      state: init,
    });
    return new OrtLabTrainer(trainer, model, spec, opt, backend);
  }

  async step({ batch, lr, t }: StepArgs): Promise<StepOutcome> {
    const extra: Record<string, TensorMsg> = {};
    for (const [k, v] of Object.entries(stepScalars(this.opt, t, lr)))
      extra[k] = f32([], Float32Array.of(v));
    for (const m of this.model.dropoutMasks) {
      const layer = this.spec.layers[m.layer];
      const rate = layer?.type === 'dropout' ? layer.rate : 0;
      extra[m.name] = f32(
        m.shape,
        dropoutMask(dropoutLayerSeed(batch.dropoutSeed, m.layer), m.shape, rate).data,
      );
    }
    const r = await this.trainer.step({
      images: f32([batch.size, ...this.spec.inputShape], batch.images),
      labels: f32(this.model.labelsShape, batch.oneHot),
      extra,
    });
    return { loss: r.loss, accuracy: r.accuracy };
  }

  async read(): Promise<State> {
    const s = await this.trainer.read();
    const out: State = {};
    for (const [k, t] of Object.entries(s))
      out[k] = { dims: [...t.dims], data: t.data as Float32Array };
    return out;
  }

  async release(): Promise<void> {
    await this.trainer.release();
  }
}

export class OrtEvaluator implements Evaluator {
  private constructor(
    private readonly ort: Ort,
    private readonly session: Session,
    private readonly spec: NetworkSpec,
    readonly device: OrtBackend,
  ) {}

  static async create(ort: Ort, backend: OrtBackend, spec: NetworkSpec): Promise<OrtEvaluator> {
    const model = buildForwardModel(spec);
    const session = await ort.InferenceSession.create(model.bytes, sessionOptions(backend));
    return new OrtEvaluator(ort, session, spec, backend);
  }

  async run(params: State, images: Float32Array, n: number, outputs: readonly string[]) {
    const { ort } = this;
    const feeds: Record<string, InstanceType<Ort['Tensor']>> = {
      images: new ort.Tensor('float32', images, [n, ...this.spec.inputShape]),
    };
    for (const [k, t] of Object.entries(params)) {
      if (this.session.inputNames.includes(k))
        feeds[k] = new ort.Tensor('float32', t.data, [...t.dims]);
    }
    const results = await this.session.run(feeds, [...outputs]);
    const out: Record<string, Float32Array> = {};
    for (const name of outputs) {
      const v = results[name]!;
      out[name] = ((await v.getData()) as Float32Array).slice();
      v.dispose();
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
