/**
 * Computed twice, per view: each view's reference numbers go to onnxruntime-web through its own
 * TwiceRunner (its badge, its `data-agree`), one run at a time across the three (the WebGPU EP
 * fails on runs that overlap in the engine worker: "Session already started"). The answers come
 * back to the state (`checked`); the root's badge merges them.
 */
import { float32 } from '../../../runtime/client';
import { mergeChecks } from '../../../runtime/crosscheck';
import { formatError } from '../../shared/agreement';
import type { Panel } from '../../shared/define';
import { paramFeeds, specKey } from '../../shared/net-feeds';
import { TwiceRunner } from '../../shared/twice';
import type { TwiceRequest } from '../../shared/twice';
import { occludedBatch, SIDE } from '../analysis';
import { firstLayerModel, forwardModel, gradientModel } from '../model';
import { CLASSES, checkKey, VIEWS } from '../state';
import type { SalState, ViewName } from '../state';
import type { SalCtx, SalResult } from '../state';

/** The request that checks `view` for state `s`; undefined until its reference numbers exist. */
function request(s: SalState, r: SalResult, view: ViewName): TwiceRequest | undefined {
  const { spec } = r.net;
  const key = specKey(spec);
  const params = paramFeeds(r.net.params);
  const pixels = s.digits[s.settings.digit]!.pixels;
  if (view === 'saliency') {
    const seed = new Float32Array(CLASSES);
    seed[r.cls] = 1;
    return {
      key: `saliency/grad/${key}`,
      model: () => gradientModel(spec),
      feeds: {
        images: float32([1, 1, SIDE, SIDE], Float32Array.from(pixels)),
        dLogits: float32([1, CLASSES], seed),
        ...params,
      },
      expected: { dinput: r.gradient, logits: r.logits },
    };
  }
  if (view === 'occlusion') {
    if (s.occluded?.key !== checkKey(s, 'occlusion')) return undefined;
    const batch = occludedBatch(pixels, s.settings.occlusion);
    const n = batch.length / (SIDE * SIDE);
    return {
      key: `saliency/forward/${key}`,
      model: () => forwardModel(spec),
      feeds: { images: float32([n, 1, SIDE, SIDE], batch), ...params },
      expected: { probabilities: s.occluded.probs },
    };
  }
  if (!r.first) return undefined;
  const count = s.digits.length;
  return {
    key: `saliency/first/${key}/${count}`,
    model: () => firstLayerModel(spec, count),
    feeds: {
      images: float32([count, 1, SIDE, SIDE], Float32Array.from(s.digits.flatMap((d) => d.pixels))),
      '0.kernel': params['0.kernel']!,
      ...(params['0.bias'] ? { '0.bias': params['0.bias'] } : {}),
    },
    expected: { maxima: r.first.maxima },
  };
}

export function checksPanel({ root, $, dispatch }: SalCtx): Panel<SalState, SalResult | undefined> {
  const section = (v: ViewName) => $(`[data-view="${v}"]`);
  const runners = Object.fromEntries(
    VIEWS.map((v) => [v, new TwiceRunner(section(v), section(v).querySelector('[data-badge]')!)]),
  ) as Record<ViewName, TwiceRunner>;
  const started: Partial<Record<ViewName, string>> = {};
  let queue: Promise<unknown> = Promise.resolve();
  const badge = $('[data-badge="all"]');
  return (s, r) => {
    if (!r || s.net.kind !== 'ready') return;
    for (const view of VIEWS) {
      const key = checkKey(s, view);
      if (started[view] === key) continue;
      const req = request(s, r, view);
      if (!req) continue;
      started[view] = key;
      const run = () => runners[view].run(req);
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      void next.then((res) => {
        if (res) dispatch({ kind: 'checked', view, key, check: res.check });
        else if (section(view).dataset.state === 'error' && started[view] === key)
          dispatch({ kind: 'checked', view, key, check: null });
      });
    }
    const checks = VIEWS.map((v) => s.checks[v]);
    if (checks.some((c) => c?.check === null)) {
      badge.textContent =
        "A view could not be checked on onnxruntime-web (its badge says why); the reference engine's results are shown.";
      badge.classList.remove('is-agree', 'is-disagree');
      return;
    }
    if (!checks.every((c) => c?.check)) {
      badge.textContent = 'Reference results shown; checking the three views on onnxruntime-web…';
      badge.classList.remove('is-agree', 'is-disagree');
      delete root.dataset.agree;
      return;
    }
    const merged = mergeChecks(checks.map((c) => c!.check!));
    root.dataset.backend = merged.backend;
    root.dataset.maxAbsError = String(merged.maxAbsError);
    root.dataset.agree = String(merged.agree);
    badge.textContent = `${merged.agree ? '✓ all three views agree' : '✗ a view disagrees'}: ${merged.backend} vs reference, max error ${formatError(merged.maxAbsError)}`;
    badge.classList.toggle('is-agree', merged.agree);
    badge.classList.toggle('is-disagree', !merged.agree);
  };
}
