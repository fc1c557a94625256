/** saliency's network line (found, missing and why, training) and its controls' values and errors. */
import type { Panel } from '../../shared/define';
import type { SalState } from '../state';
import type { SalCtx, SalResult } from '../state';

type P = Panel<SalState, SalResult | undefined>;

export function netPanel({ root, $ }: SalCtx): P {
  const text = $('[data-out="net"]');
  const train = $<HTMLButtonElement>('[data-train]');
  const progress = $<HTMLProgressElement>('[data-progress]');
  const views = $('[data-views]');
  const badge = $('[data-badge="all"]');
  return (s, _r, prev) => {
    if (prev?.net === s.net) return;
    const net = s.net;
    views.hidden = net.kind !== 'ready';
    train.hidden = net.kind !== 'none' && net.kind !== 'training';
    train.disabled = net.kind === 'training';
    progress.hidden = net.kind !== 'training';
    if (net.kind === 'training') {
      root.dataset.training = 'true';
      progress.value = net.fraction;
    } else delete root.dataset.training;
    if (net.kind === 'none') root.dataset.netProblem = net.why;
    else delete root.dataset.netProblem;
    if (net.kind === 'ready') root.dataset.net = net.net.spec.name;
    else delete root.dataset.net;
    text.textContent =
      net.kind === 'looking'
        ? 'Looking for a network you trained in the training lab…'
        : net.kind === 'ready'
          ? `Using ${net.net.from}.`
          : net.text;
    if (net.kind === 'none' || net.kind === 'looking')
      badge.textContent = 'Nothing to compute until there is a trained network.';
    else if (net.kind === 'training') badge.textContent = 'Training a network to explain…';
  };
}

/** The inputs show the state's values, except text the reader typed that is not valid. */
export function controlsPanel({ $ }: SalCtx): P {
  const digit = $<HTMLInputElement>('input[name="digit"]');
  const cls = $<HTMLSelectElement>('select[name="class"]');
  const patch = $<HTMLInputElement>('input[name="patch"]');
  const stride = $<HTMLInputElement>('input[name="stride"]');
  const digitError = $('[data-error="digit"]');
  const occError = $('[data-error="occlusion"]');
  const show = (input: HTMLInputElement, value: number) => {
    if (input.value.trim() !== String(value)) input.value = String(value);
  };
  const invalid = (input: HTMLInputElement, bad: boolean) => {
    if (bad) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  return (s, _r, prev) => {
    const { settings: v, errors } = s;
    if (!prev || prev.settings.digit !== v.digit || (prev.errors.digit && !errors.digit))
      show(digit, v.digit);
    if (!prev) {
      show(patch, v.occlusion.size);
      show(stride, v.occlusion.stride);
    }
    cls.value = v.cls === null ? 'own' : String(v.cls);
    digitError.textContent = errors.digit ?? '';
    invalid(digit, !!errors.digit);
    occError.textContent = errors.occlusion ?? '';
    invalid(patch, errors.occField === 'size');
    invalid(stride, errors.occField === 'stride');
  };
}
