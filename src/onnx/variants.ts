/**
 * Process-wide default formulations for buildTrainingModel (options.formulations overrides them
 * per model). The browser harness switches them with setVariant('maxPoolGrad=argmax') to measure
 * the alternatives on each execution provider. See formulations.ts for the choices.
 */
import { DEFAULT_FORMULATIONS, withFormulations } from './formulations.ts';
import type { Formulations } from './formulations.ts';

let current: Formulations = DEFAULT_FORMULATIONS;

/** The defaults now in force. */
export function variants(): Formulations {
  return current;
}

/** `key=value`, e.g. `maxPoolGrad=mask`; `reset` restores the built-in defaults. */
export function setVariant(assignment: string): void {
  current = assignment === 'reset' ? DEFAULT_FORMULATIONS : withFormulations(current, [assignment]);
}
