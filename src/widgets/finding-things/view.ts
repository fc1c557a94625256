/**
 * Lesson 12's scene lab on the widget kernel. The lab worker (its own save slot) trains the
 * segmenter and scores it on held-out scenes; the page asks it for the weights at every epoch
 * end and computes the reader's scene twice — the reference engine here (~15 ms), onnxruntime-web
 * in the engine worker for the badge. The canvas is the drawing surface (ink, or a box in box
 * mode) and the figure: ink, the class of every map cell as a colour, boxes above the threshold.
 */
import { detectionOutputs, forward } from '../../cnn/index';
import type { Tensor } from '../../cnn/index';
import type { Detection } from '../../data/boxes';
import { SCENE_SIZE, SEG_CLASSES } from '../../data/scenes';
import { buildForwardModel } from '../../onnx/index';
import { chooseBackend } from '../../runtime/backends';
import { float32, probeBackends } from '../../runtime/client';
import { paramFeeds } from '../shared/net-feeds';
import type { LabEvent } from '../../runtime/lab/protocol';
import { CLASS_COLOURS } from './colours';
import { readPreferredBackend } from '../shared/backend-pref';
import { embedded } from '../shared/dom';
import type { Panel, WidgetSpec } from '../shared/define';
import { decimal, fieldParams, integer, readFields } from '../shared/fields';
import { stampSegment, wireStrokes } from '../shared/ink-pad';
import { getSharedLab, requestWeights } from '../shared/lab';
import { readParams } from '../shared/url-state';
import {
  DEFAULT_EPOCHS,
  HEAD_CHANNELS,
  INITIAL,
  SCENES_SLOT,
  SCENE_BRUSH,
  boxFromCorners,
  defaultConfig,
  detectionsOf,
  heldOutAt,
  inkIsEmpty,
  reduce,
  runStatus,
  shown,
  userBoxIou,
} from './state';
import type { SceneAction, SceneState } from './state';

export interface SceneResult {
  /** The head's output map: segmentation and centre probabilities, box numbers. */
  readonly probabilities: Float32Array;
  readonly detections: readonly Detection[];
}
type R = SceneResult | undefined;
type P = Panel<SceneState, R>;

const FIELDS = {
  threshold: decimal('threshold', 'confidence threshold', { min: 0, max: 1, initial: 0.5 }),
  epochs: integer('epochs', 'epochs', { min: 1, max: 30, initial: DEFAULT_EPOCHS }),
};

const VIEW = 256; // canvas pixels: 4 per scene pixel
const K = VIEW / SCENE_SIZE;

function draw(canvas: HTMLCanvasElement, s: SceneState, r: R): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(SCENE_SIZE, SCENE_SIZE);
  for (let i = 0; i < s.ink.length; i++) {
    const c = Math.round(255 - 235 * Math.min(1, s.ink[i]!));
    img.data.set([c, c, c, 255], i * 4);
  }
  const tmp = new OffscreenCanvas(SCENE_SIZE, SCENE_SIZE);
  tmp.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tmp, 0, 0, VIEW, VIEW);
  if (r) {
    const side = Math.round(Math.sqrt(r.probabilities.length / HEAD_CHANNELS));
    const cell = VIEW / side;
    ctx.globalAlpha = 0.45;
    for (let p = 0; p < side * side; p++) {
      let best = 0;
      for (let k = 1; k < SEG_CLASSES; k++)
        if (r.probabilities[k * side * side + p]! > r.probabilities[best * side * side + p]!)
          best = k;
      if (best === SEG_CLASSES - 1) continue;
      ctx.fillStyle = CLASS_COLOURS[best]!;
      ctx.fillRect((p % side) * cell, Math.floor(p / side) * cell, cell, cell);
    }
    ctx.globalAlpha = 1;
    ctx.lineWidth = 2;
    ctx.font = '600 13px system-ui, sans-serif';
    for (const d of shown(r.detections, s.threshold)) {
      const { x0, y0, x1, y1 } = d.box;
      ctx.strokeStyle = CLASS_COLOURS[d.label]!;
      ctx.strokeRect(x0 * K, y0 * K, (x1 - x0) * K, (y1 - y0) * K);
      const tag = `${d.label} ${(d.score * 100).toFixed(0)}%`;
      ctx.fillStyle = '#000';
      ctx.fillRect(x0 * K, Math.max(0, y0 * K - 16), ctx.measureText(tag).width + 6, 16);
      ctx.fillStyle = '#fff';
      ctx.fillText(tag, x0 * K + 3, Math.max(12, y0 * K - 4));
    }
  }
  if (s.userBox) {
    const { x0, y0, x1, y1 } = s.userBox;
    ctx.setLineDash([6, 4]);
    ctx.strokeStyle = '#d00';
    ctx.lineWidth = 2;
    ctx.strokeRect(x0 * K, y0 * K, (x1 - x0) * K, (y1 - y0) * K);
    ctx.setLineDash([]);
  }
}

const pc = (v: number) => `${(v * 100).toFixed(1)}%`;

function scenePanel(root: HTMLElement, canvas: HTMLCanvasElement, iouLine: HTMLElement): P {
  return (s, r) => {
    draw(canvas, s, r);
    const boxes = r ? shown(r.detections, s.threshold) : [];
    root.dataset.boxes = String(boxes.length);
    root.dataset.labels = boxes.map((d) => d.label).join(',');
    canvas.setAttribute(
      'aria-label',
      inkIsEmpty(s.ink)
        ? 'Empty scene, 64 by 64 pixels: draw digits here.'
        : boxes.length
          ? `Your scene; the network finds ${boxes.map((d) => `a ${d.label} (${pc(d.score)})`).join(', ')}.`
          : 'Your scene; the network finds no digit above the threshold.',
    );
    const m = s.userBox && r ? userBoxIou(s.userBox, boxes) : undefined;
    root.dataset.userIou = m ? m.iou.toFixed(4) : '';
    iouLine.textContent = !s.userBox
      ? 'Choose “Draw a box” and drag a box around one of your digits to compare it with the network’s.'
      : !m
        ? 'Your box: the network shows no box to compare it with.'
        : `Your box against the network’s ${m.against.label}: intersection ${m.inter.toFixed(0)} px², union ${m.union.toFixed(0)} px², IoU = ${m.inter.toFixed(0)} / ${m.union.toFixed(0)} = ${m.iou.toFixed(2)}${m.iou >= 0.5 ? ' — a match at IoU 0.5' : ' — not a match at IoU 0.5'}.`;
  };
}

function scoresPanel(
  root: HTMLElement,
  el: HTMLElement,
  status: HTMLElement,
  buttons: HTMLButtonElement[],
): P {
  return (s) => {
    status.textContent = runStatus(s);
    root.dataset.lab = s.lab;
    if (s.stepCheck) {
      root.dataset.stepAgree = String(s.stepCheck.agree);
      root.dataset.stepBackend = s.stepCheck.backend;
    }
    const [train, pause] = buttons as [HTMLButtonElement, HTMLButtonElement];
    const busy =
      s.lab === 'training' ||
      s.lab === 'evaluating' ||
      s.lab === 'loading-data' ||
      s.lab === 'compiling';
    train.disabled = busy;
    train.textContent = s.lab === 'idle' ? 'Train' : 'Train again';
    pause.disabled = !(s.lab === 'training' || s.lab === 'paused');
    pause.textContent = s.lab === 'paused' ? 'Resume' : 'Pause';
    const sc = s.scores;
    if (!sc) {
      el.textContent = 'Held-out scores appear after the first epoch.';
      return;
    }
    const pr = heldOutAt(sc, s.threshold);
    root.dataset.meanIou = sc.meanIou.toFixed(4);
    root.dataset.map = sc.map.toFixed(4);
    root.dataset.precision = pr.precision.toFixed(4);
    root.dataset.recall = pr.recall.toFixed(4);
    el.textContent =
      `After epoch ${sc.epoch}, on 500 held-out scenes (test digits only): pixel accuracy ${pc(sc.pixelAccuracy)}, ` +
      `mean IoU ${sc.meanIou.toFixed(2)}, mAP@0.5 ${sc.map.toFixed(2)}. At threshold ${s.threshold.toFixed(2)}: ` +
      `precision ${pc(pr.precision)} (${pr.truePositives} of ${pr.detections} boxes right), ` +
      `recall ${pc(pr.recall)} (${pr.truePositives} of ${pr.truths} digits found).`;
  };
}

function referenceResult(s: SceneState): R {
  const w = s.weights;
  if (!w || !w.network.head || inkIsEmpty(s.ink)) return undefined;
  const x: Tensor = { shape: [1, 1, SCENE_SIZE, SCENE_SIZE], data: s.ink };
  const params: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(w.params)) params[k] = { shape: [...t.shape], data: t.data };
  const probabilities = detectionOutputs(forward(w.network, params, x).logits, w.network.head).data;
  return { probabilities, detections: detectionsOf(probabilities) };
}

export const findingThingsWidget: WidgetSpec<SceneState, SceneAction, R> = {
  name: 'finding-things',
  ns: 'ft',
  failure: { where: '[data-run-status]', prefix: 'This figure failed: ' },
  init() {
    const { values, notes } = readFields(FIELDS, readParams('ft'));
    return { state: { ...INITIAL, threshold: values.threshold, epochs: values.epochs }, notes };
  },
  reduce,
  compute: {
    key: (s) => (s.weights && !inkIsEmpty(s.ink) ? `${s.weights.id}:${s.inkId}` : 'none'),
    run: referenceResult,
    check(s, r) {
      if (!r || !s.weights) return undefined;
      const w = s.weights;
      const feeds = {
        images: float32([1, 1, SCENE_SIZE, SCENE_SIZE], s.ink),
        ...paramFeeds(w.params),
      };
      return {
        key: `finding-things:${w.network.name}`,
        model: () => buildForwardModel(w.network, { activations: false }).bytes,
        feeds,
        expected: { probabilities: r.probabilities },
      };
    },
  },
  status: (s) => (inkIsEmpty(s.ink) ? 'empty' : s.weights ? 'done' : 'idle'),
  params: (s) => fieldParams(FIELDS, { threshold: s.threshold, epochs: s.epochs }),
  announce(prev, s, r) {
    if (!r || (prev && prev.inkId === s.inkId && prev.weights?.id === s.weights?.id))
      return undefined;
    const boxes = shown(r.detections, s.threshold);
    return boxes.length
      ? `The network finds ${boxes.map((d) => `a ${d.label}`).join(', ')}.`
      : 'The network finds no digit above the threshold.';
  },
  async view({ root, $, dispatch, state }) {
    const canvas = $<HTMLCanvasElement>('canvas[data-scene]');
    const lab = await getSharedLab(SCENES_SLOT);
    const fetchWeights = () =>
      requestWeights(lab).then(
        (reply) => {
          if (reply.weights)
            dispatch({
              kind: 'weights',
              weights: { network: reply.weights.network, params: reply.weights.params },
            });
        },
        () => {},
      );
    lab.on((e: LabEvent) => {
      dispatch({ kind: 'lab', event: e });
      if (e.kind === 'eval' || e.kind === 'restored') void fetchWeights();
    });
    lab.send({ kind: 'restore' });

    const [train, pause] = [
      $<HTMLButtonElement>('[data-action="train"]'),
      $<HTMLButtonElement>('[data-action="pause"]'),
    ];
    train.addEventListener('click', () => {
      void probeBackends().then((statuses) => {
        const { backend } = chooseBackend(statuses, readPreferredBackend());
        lab.send({ kind: 'start', config: defaultConfig(backend, state().epochs) });
      });
    });
    pause.addEventListener('click', () =>
      lab.send({ kind: state().lab === 'paused' ? 'resume' : 'pause' }),
    );
    const samples = embedded<{ label: number; pixels: number[] }[]>(root, 'samples');
    $('[data-action="sample"]').addEventListener('click', () => {
      const n = state().samples;
      dispatch({ kind: 'sample', pixels: samples[n % samples.length]!.pixels });
    });
    $('[data-action="clear"]').addEventListener('click', () => {
      dispatch({ kind: 'box', box: undefined });
      dispatch({ kind: 'ink', ink: new Float32Array(SCENE_SIZE * SCENE_SIZE) });
    });
    for (const input of root.querySelectorAll<HTMLInputElement>('input[name="tool"]'))
      input.addEventListener('change', () =>
        dispatch({ kind: 'tool', tool: input.value === 'box' ? 'box' : 'ink' }),
      );
    const slider = $<HTMLInputElement>('input[name="threshold"]');
    const out = $('[data-threshold-value]');
    slider.value = String(state().threshold);
    out.textContent = state().threshold.toFixed(2);
    slider.addEventListener('input', () => {
      dispatch({ kind: 'threshold', value: Number(slider.value) });
      out.textContent = state().threshold.toFixed(2);
    });

    // Drawing: ink strokes, or a box from corner to corner (box mode).
    let ink = state().ink.slice();
    wireStrokes(canvas, SCENE_SIZE, {
      start: () => (ink = state().ink.slice()),
      move(from, to, first) {
        if (state().tool === 'box') {
          dispatch({ kind: 'box', box: boxFromCorners(first, to) });
          return;
        }
        stampSegment(ink, SCENE_SIZE, from, to, SCENE_BRUSH);
        draw(canvas, { ...state(), ink }, undefined);
      },
      end(moved) {
        if (moved && state().tool === 'ink') dispatch({ kind: 'ink', ink });
      },
    });
    root.dataset.ready = 'true';
    return [
      scoresPanel(root, $('[data-scores]'), $('[data-run-status]'), [train, pause]),
      scenePanel(root, canvas, $('[data-iou]')),
    ];
  },
};
