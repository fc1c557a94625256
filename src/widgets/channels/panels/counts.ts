/**
 * The parameter counter of the channels figure: each size field dispatches what the reader
 * typed; the panel shows its message, and the counts with the reader's numbers in KaTeX.
 */
import katex from 'katex';
import type { Panel, ViewContext } from '../../shared/define';
import { COUNT_FIELDS, counts, countsTex } from '../counts';
import type { CountKey } from '../counts';
import type { ChannelsAction, ChannelsState } from '../state';

const KEYS = Object.keys(COUNT_FIELDS) as CountKey[];

export function countsPanel({
  root,
  $,
  dispatch,
  state,
}: ViewContext<ChannelsState, ChannelsAction>): Panel<ChannelsState, unknown> {
  for (const key of KEYS) {
    const input = $<HTMLInputElement>(`[data-count="${key}"]`);
    input.value = COUNT_FIELDS[key].format(state().count[key]);
    input.addEventListener('input', () => dispatch({ kind: 'count', key, raw: input.value }));
  }
  const tex = {
    conv: $('[data-tex="conv"]'),
    dense: $('[data-tex="dense"]'),
    depthwise: $('[data-tex="depthwise"]'),
  };
  const ratio = $('[data-ratio]');

  return (s, _r, prev) => {
    if (prev?.countErrors !== s.countErrors)
      for (const key of KEYS) {
        const text = s.countErrors[key] ?? '';
        $(`[data-count-error="${key}"]`).textContent = text;
        const input = $(`[data-count="${key}"]`);
        if (text) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
      }
    if (prev?.count === s.count) return;
    const c = counts(s.count);
    const t = countsTex(s.count, c);
    const opts = { displayMode: true, throwOnError: false };
    for (const k of ['conv', 'dense', 'depthwise'] as const)
      tex[k].innerHTML = katex.renderToString(t[k], opts);
    const times = c.dense / c.conv;
    ratio.textContent = `The dense layer needs ${times >= 10 ? Math.round(times).toLocaleString('en-US') : times.toFixed(1)} times as many parameters as the convolution.`;
    root.dataset.convParams = String(c.conv);
    root.dataset.denseParams = String(c.dense);
  };
}
