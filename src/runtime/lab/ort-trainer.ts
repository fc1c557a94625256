/**
 * Runs a training-step graph (src/onnx/train.ts) step after step in the lab worker, under
 * OrtLabTrainer (ort-engine.ts). Parameters and optimiser slots never leave the device between steps: on WebGPU the updated
 * values are requested as GPU buffers and fed straight back as the next step's inputs; only the
 * loss and accuracy are read back. `read()` downloads the state when the lab needs it (to show
 * filters, to save, to cross-check).
 */
import { sessionOptions } from '../ort';
import type { Ort } from '../ort';
import type { TensorMsg } from '../protocol';

/** A training-step graph and its initial state, given once per trainer. */
export interface TrainerSpec {
  /** Training-step model bytes. */
  readonly model: Uint8Array;
  /** State input name (parameter or slot) → the output that holds its updated value. */
  readonly updated: Readonly<Record<string, string>>;
  /** Initial parameters and optimiser slots, by input name. */
  readonly state: Readonly<Record<string, TensorMsg>>;
}

export interface StepInput {
  readonly images: TensorMsg;
  readonly labels: TensorMsg;
  /** lr, and for Adam the bias corrections; dropout masks by input name. */
  readonly extra: Readonly<Record<string, TensorMsg>>;
}

export interface StepResult {
  readonly loss: number;
  readonly accuracy: number;
  readonly ms: number;
}

type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;
type OrtTensor = InstanceType<Ort['Tensor']>;

export class Trainer {
  private constructor(
    private readonly ort: Ort,
    private readonly session: Session,
    private readonly backend: 'webgpu' | 'wasm',
    private readonly updated: Readonly<Record<string, string>>,
    private state: Map<string, OrtTensor>,
  ) {}

  static async create(ort: Ort, backend: 'webgpu' | 'wasm', spec: TrainerSpec): Promise<Trainer> {
    const location: Record<string, 'gpu-buffer' | 'cpu'> = {};
    if (backend === 'webgpu')
      for (const out of Object.values(spec.updated)) location[out] = 'gpu-buffer';
    const session = await ort.InferenceSession.create(spec.model, {
      ...sessionOptions(backend),
      ...(backend === 'webgpu' ? { preferredOutputLocation: location } : {}),
    });
    const state = new Map<string, OrtTensor>();
    for (const [name, t] of Object.entries(spec.state)) {
      if (!(name in spec.updated))
        throw new Error(`trainer: "${name}" is not a state input of the model`);
      state.set(name, new ort.Tensor(t.type, t.data.slice(), t.dims));
    }
    for (const name of Object.keys(spec.updated)) {
      if (!state.has(name)) throw new Error(`trainer: no initial value for "${name}"`);
    }
    return new Trainer(ort, session, backend, spec.updated, state);
  }

  async step(input: StepInput): Promise<StepResult> {
    const { ort } = this;
    const feeds: Record<string, OrtTensor> = {
      images: new ort.Tensor('float32', input.images.data, input.images.dims),
      labels: new ort.Tensor('float32', input.labels.data, input.labels.dims),
    };
    for (const [name, t] of Object.entries(input.extra))
      feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    for (const [name, t] of this.state) feeds[name] = t;
    const t0 = performance.now();
    const out = await this.session.run(feeds);
    const next = new Map<string, OrtTensor>();
    for (const [name, outName] of Object.entries(this.updated)) next.set(name, out[outName]);
    // The previous state is now garbage; GPU buffers must be released explicitly.
    for (const t of this.state.values()) if (t.location === 'gpu-buffer') t.dispose();
    this.state = next;
    const loss = (await out.loss.getData())[0] as number;
    const accuracy = (await out.accuracy.getData())[0] as number;
    return { loss, accuracy, ms: performance.now() - t0 };
  }

  /** Downloads the current parameters and slots (copies; the trainer keeps going). */
  async read(): Promise<Record<string, TensorMsg>> {
    const out: Record<string, TensorMsg> = {};
    for (const [name, t] of this.state) {
      const data = (await t.getData()) as Float32Array;
      out[name] = { dims: [...t.dims], type: 'float32', data: data.slice() };
    }
    return out;
  }

  get device(): 'webgpu' | 'wasm' {
    return this.backend;
  }

  async release(): Promise<void> {
    for (const t of this.state.values()) if (t.location === 'gpu-buffer') t.dispose();
    this.state.clear();
    await this.session.release();
  }
}
