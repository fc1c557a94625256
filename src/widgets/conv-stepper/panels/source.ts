/**
 * The input image: an embedded MNIST digit, the reader's drawing (the pad's strokes stay on the
 * canvas; each finished stroke becomes a 28×28 digit) or an uploaded picture (decoded in a worker,
 * upload.ts). Pictures stay in the page, never in the link.
 */
import type { Panel, ViewContext } from '../../shared/define';
import type { ConvAction, ConvState } from '../state';
import { digitFromFile, digitFromPixels } from '../../shared/upload-digit';
import type { ConvResult } from './maps';

/** Wires a drawing pad: pointer strokes in black; `done` gets the canvas after each stroke. */
function wirePad(pad: HTMLCanvasElement, done: (rgba: Uint8ClampedArray) => void): () => void {
  const ctx = pad.getContext('2d', { willReadFrequently: true })!;
  let drawing = false;
  const pos = (e: PointerEvent) => {
    const b = pad.getBoundingClientRect();
    return [
      ((e.clientX - b.left) * pad.width) / b.width,
      ((e.clientY - b.top) * pad.height) / b.height,
    ];
  };
  pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    pad.setPointerCapture(e.pointerId);
    const [x, y] = pos(e);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = pad.width / 11;
    ctx.strokeStyle = '#000';
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 0.1, y);
    ctx.stroke();
  });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const [x, y] = pos(e);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    done(ctx.getImageData(0, 0, pad.width, pad.height).data);
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  return () => ctx.clearRect(0, 0, pad.width, pad.height);
}

export function sourceView({
  root,
  $,
  dispatch,
}: ViewContext<ConvState, ConvAction>): Panel<ConvState, ConvResult> {
  const radios = [...root.querySelectorAll<HTMLInputElement>('input[name$="-source"]')];
  for (const r of radios)
    r.addEventListener('change', () => r.checked && dispatch({ kind: 'source', value: r.value }));

  const pad = $<HTMLCanvasElement>('[data-pad]');
  const clear = wirePad(pad, (rgba) => {
    const image = digitFromPixels(rgba, pad.width, pad.height);
    dispatch(
      typeof image === 'string' ? { kind: 'draw-msg', text: image } : { kind: 'drawn', image },
    );
  });
  $('[data-clear]').addEventListener('click', () => {
    clear();
    dispatch({ kind: 'draw-msg', text: 'Cleared.' });
  });

  $<HTMLInputElement>('[data-upload]').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    dispatch({ kind: 'upload-start', name: file.name });
    digitFromFile(file).then(
      (image) => dispatch({ kind: 'uploaded', name: file.name, image }),
      (error: unknown) =>
        dispatch({
          kind: 'upload-failed',
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  });

  const drawMsg = $('[data-draw-msg]');
  const uploadMsg = $('[data-upload-msg]');
  return (s, _r, prev) => {
    if (prev?.source !== s.source || prev.drawn !== s.drawn || prev.uploaded !== s.uploaded) {
      for (const r of radios) {
        if (r.value === 'drawn') r.disabled = !s.drawn;
        if (r.value === 'upload') r.disabled = !s.uploaded;
        r.checked = r.value === s.source;
      }
      root.dataset.source = s.source;
    }
    drawMsg.textContent = s.drawMsg;
    uploadMsg.textContent = s.upload.text;
    if (s.upload.state) uploadMsg.dataset.state = s.upload.state;
    else delete uploadMsg.dataset.state;
  };
}
