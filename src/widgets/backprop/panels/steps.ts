/** The stepper's part of the figure: which step's panel shows, the path, the readout. */
import { STEP_COUNT, STEPS } from '../backward';
import type { BackpropState } from '../state';
import type { PanelParts } from './common';

export function stepsPanel({ root, $ }: PanelParts) {
  const scrub = $('input[name="step"]') as HTMLInputElement;
  scrub.max = String(STEP_COUNT - 1);
  return (s: BackpropState, _r: unknown, prev: BackpropState | undefined): void => {
    if (prev?.step === s.step) return;
    STEPS.forEach((step, i) => {
      $(`[data-panel="${step.id}"]`).hidden = i !== s.step;
      const pill = $(`[data-path="${i}"]`);
      pill.classList.toggle('is-current', i === s.step);
      if (i === s.step) pill.setAttribute('aria-current', 'step');
      else pill.removeAttribute('aria-current');
    });
    const text = `Step ${s.step + 1} of ${STEP_COUNT}: ${STEPS[s.step].title}`;
    $('[data-out="step"]').textContent = text;
    scrub.value = String(s.step);
    scrub.setAttribute('aria-valuetext', text);
    root.dataset.step = STEPS[s.step].id;
  };
}
