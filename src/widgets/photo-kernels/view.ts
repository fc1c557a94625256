/**
 * photo-kernels, declared on the widget kernel: pick a photo (or upload one) and a kernel; point
 * at any output pixel (hover, tap, or the grid keys) to see its multiply-add. The reference
 * engine computes gray and the feature map (two conv2d calls); ORT runs the same two Conv nodes.
 */
import { tensorFeeds } from '../shared/net-feeds';
import type { WidgetSpec } from '../shared/define';
import { CURSOR_KEYS } from '../shared/grid-nav';
import { loadPhoto, pixelAt, wirePhotoMenu } from '../shared/photos';
import { readParams } from '../shared/url-state';
import { kernelById } from './kernels';
import { kernelsGraph } from './model';
import { figurePanels } from './panels/figure';
import {
  initialKernels,
  kernelsParams,
  parseKernelsParams,
  reduceKernels,
  computeKernels,
  fmt,
  pixelTrace,
} from './state';
import type { KernelsAction, KernelsResult, KernelsState } from './state';
import { photoFromFile } from './upload';

const NAV = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'];
const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const kernelsWidget: WidgetSpec<KernelsState, KernelsAction, KernelsResult> = {
  name: 'photo-kernels',
  ns: 'kern',
  async init() {
    const { values, notes } = parseKernelsParams(readParams('kern'));
    return { state: initialKernels(await loadPhoto(values.photo), values.kernel), notes };
  },
  reduce: reduceKernels,
  compute: {
    key: (s) => `${s.photo.key}|${s.kernel}`,
    run: computeKernels,
    check: (s, r) => ({
      ...kernelsGraph(s.photo),
      feeds: tensorFeeds(r, 'x', 'toGray', 'kernel'),
      expected: { gray: r.gray.data, y: r.y.data },
    }),
  },
  params: kernelsParams,
  announce(prev, s, r) {
    if (prev && prev.cursor === s.cursor && prev.photo === s.photo && prev.kernel === s.kernel)
      return undefined;
    const t = pixelTrace(s, r);
    return `${kernelById(s.kernel).label}, output row ${t.row}, column ${t.col} = ${fmt(t.sum, 4)}`;
  },
  view(ctx) {
    const { $, dispatch, state } = ctx;
    const photo = $<HTMLSelectElement>('select[name="p"]');
    wirePhotoMenu(photo, state().want, dispatch);
    const kernel = $<HTMLSelectElement>('select[name="k"]');
    kernel.value = state().kernel;
    kernel.addEventListener('change', () => dispatch({ kind: 'kernel', id: kernel.value }));
    const file = $<HTMLInputElement>('input[type="file"]');
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      if (!f) return;
      dispatch({ kind: 'uploading', name: f.name });
      const key = state().want;
      photoFromFile(f, key).then(
        ({ photo: p, note }) => dispatch({ kind: 'loaded', photo: p, note }),
        (e: unknown) =>
          dispatch({ kind: 'failed', message: `That file could not be used: ${why(e)}` }),
      );
      file.value = '';
    });

    const output = $<HTMLCanvasElement>('[data-canvas="output"]');
    const input = $<HTMLCanvasElement>('[data-canvas="input"]');
    const point = (e: MouseEvent, canvas: HTMLCanvasElement) => {
      const { width, height } = state().photo;
      dispatch({ kind: 'point', index: pixelAt(e, canvas, width, height) });
    };
    output.addEventListener('pointermove', (e) => point(e, output));
    output.addEventListener('click', (e) => point(e, output));
    input.addEventListener('click', (e) => point(e, input));
    $('[data-keys]').addEventListener('keydown', (e) => {
      if (!NAV.includes(e.key)) return;
      e.preventDefault();
      dispatch({ kind: 'key', key: e.key });
    });
    $('[data-keys-said]').textContent = `Keys: ${CURSOR_KEYS}`;
    const controls = (s: KernelsState) => {
      if (!s.want.startsWith('upload:')) photo.value = s.want;
      kernel.value = s.kernel;
    };
    return [controls, ...figurePanels(ctx)];
  },
};
