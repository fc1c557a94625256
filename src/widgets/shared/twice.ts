/**
 * "Computed twice": every widget shows the reference engine's result at once, then asks ORT (in the
 * engine worker) for the same numbers and shows how closely they agree. This is the one place that
 * does it, so every widget handles backends, stale results and failures the same way.
 */
import { BACKEND_LABEL, BUILD_DOWNLOAD, chooseBackend } from '../../runtime/backends';
import { allowOrt, ortHold, probeBackends, runModel, whenOrtMayStart } from '../../runtime/client';
import { crossCheck, mergeChecks } from '../../runtime/crosscheck';
import type { BackendName, CrossCheck } from '../../runtime/crosscheck';
import type { TensorMsg } from '../../runtime/protocol';
import { showAgreement, showPending } from './agreement';
import { readPreferredBackend } from './backend-pref';

const PENDING = 'Reference result shown; checking it on onnxruntime-web…';

export interface TwiceRequest {
  /** Session cache key: same key ⇒ same model bytes. */
  readonly key: string;
  /** Built lazily: not needed when the reader chose the reference engine. */
  readonly model: () => Uint8Array;
  readonly feeds: Readonly<Record<string, TensorMsg>>;
  /** Output name → the reference engine's values for it. */
  readonly expected: Readonly<Record<string, Float32Array>>;
  /** Set when only the wasm EP can run this model: why (said in the badge when WebGPU was asked). */
  readonly wasmOnly?: string;
}

export interface TwiceResult {
  readonly backend: BackendName;
  readonly check: CrossCheck;
  readonly outputs: Readonly<Record<string, Float32Array>>;
}

/**
 * Computes on ORT and cross-checks. Runs on one root go one at a time, and a later call
 * supersedes earlier ones: a run still waiting when a newer one arrives never executes, and a
 * stale result is dropped (returns null), so a fast slider neither queues work nor shows an old
 * answer. The model's bytes are built and sent only when the worker lacks that key's session.
 */
export class TwiceRunner {
  private generation = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly root: HTMLElement,
    private readonly badge: HTMLElement,
  ) {}

  async run(req: TwiceRequest): Promise<TwiceResult | null> {
    const generation = ++this.generation;
    const requested = readPreferredBackend();
    if (requested === 'reference') return this.referenceOnly(req);
    showPending(this.root, this.badge, PENDING);
    this.root.setAttribute('aria-busy', 'true');
    const prior = this.tail;
    let release = () => {};
    this.tail = new Promise((resolve) => (release = resolve));
    try {
      await prior;
      if (generation !== this.generation) return null;
      await this.mayStart();
      if (generation !== this.generation) return null;
      const statuses = await probeBackends();
      const chosen = chooseBackend(statuses, requested);
      const { backend, note } =
        req.wasmOnly && chosen.backend === 'webgpu'
          ? { ...chooseBackend(statuses, 'wasm'), note: req.wasmOnly }
          : chosen;
      if (backend === 'reference') return this.referenceOnly(req, note);
      const reply = await runModel({
        key: req.key,
        model: req.model,
        backend,
        feeds: req.feeds,
        fetches: Object.keys(req.expected),
      });
      if (generation !== this.generation) return null;
      const outputs: Record<string, Float32Array> = {};
      const checks: CrossCheck[] = [];
      for (const [name, expected] of Object.entries(req.expected)) {
        const got = reply.outputs[name];
        if (!got) throw new Error(`ORT returned no output called "${name}"`);
        outputs[name] = got.data as Float32Array;
        checks.push(crossCheck(backend, outputs[name], expected));
      }
      const check = mergeChecks(checks);
      this.root.dataset.state = 'done';
      showAgreement(this.root, this.badge, check);
      if (note) this.badge.textContent += ` — ${note}`;
      return { backend, check, outputs };
    } catch (error) {
      if (generation !== this.generation) return null;
      this.root.dataset.state = 'error';
      this.root.dataset.agree = 'unknown';
      this.badge.textContent = `Showing the reference engine's result only: onnxruntime-web failed (${error instanceof Error ? error.message : String(error)}).`;
      return null;
    } finally {
      release();
      if (generation === this.generation) this.root.removeAttribute('aria-busy');
    }
  }

  /** Waits for the page to be idle — or, with Save-Data or a slow link, for the reader to ask. */
  private async mayStart(): Promise<void> {
    const hold = ortHold();
    if (hold) {
      this.root.dataset.ort = 'waiting';
      this.badge.textContent = `Reference result shown. The check on onnxruntime-web (a ${BUILD_DOWNLOAD.wasm} download) waits because ${hold}. `;
      const ask = document.createElement('button');
      ask.type = 'button';
      ask.className = 'button';
      ask.textContent = 'Check on onnxruntime-web';
      ask.addEventListener('click', allowOrt);
      this.badge.append(ask);
    }
    await whenOrtMayStart();
    if (hold) {
      delete this.root.dataset.ort;
      showPending(this.root, this.badge, PENDING);
    }
  }

  private referenceOnly(req: TwiceRequest, note?: string): TwiceResult {
    const check: CrossCheck = {
      backend: 'reference',
      maxAbsError: 0,
      maxRelError: 0,
      tolerance: 0,
      agree: true,
      count: Object.values(req.expected).reduce((n, a) => n + a.length, 0),
    };
    this.root.dataset.state = 'done';
    showAgreement(this.root, this.badge, check);
    this.badge.textContent = `${BACKEND_LABEL.reference} only${note ? ` — ${note}` : ' (chosen on the Engines page)'}.`;
    return { backend: 'reference', check, outputs: req.expected };
  }
}
