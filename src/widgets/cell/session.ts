/**
 * A run, from the reader's TypeScript to outputs and the agreement badge: sucrase strips the
 * types (loaded here, on first use), `runner.ts` runs the code in its own worker, `render.ts`
 * draws what it shows, and the ops it computed are checked on ORT like every widget's.
 */
import { TwiceRunner } from '../shared/twice';
import { checkRequest } from './check';
import type { CellData } from './protocol';
import { renderOutput } from './render';
import { runCell } from './runner';
import { encodeCode, shareUrl } from './share';
import { describeError, transpile } from './source';
import type { CellParts } from './parts';

const runners = new WeakMap<HTMLElement, TwiceRunner>();
let sucrase: Promise<typeof import('sucrase')> | undefined;
const loadSucrase = () => (sucrase ??= import('sucrase'));
void loadSucrase();

function cellData(root: HTMLElement): CellData | null {
  const el = root.querySelector('script[data-json="cell"]');
  return el?.textContent ? (JSON.parse(el.textContent) as CellData) : null;
}

function clearCheck(root: HTMLElement): void {
  for (const k of ['agree', 'maxAbsError', 'backend']) delete root.dataset[k];
}

export async function runCode(parts: CellParts, ts: string): Promise<void> {
  const { root, outputs, error, badge, live } = parts;
  root.dataset.state = 'running';
  // Counts runs, so a test (or a reader's tool) can tell this run's outcome from the last one's.
  root.dataset.runs = String(Number(root.dataset.runs ?? 0) + 1);
  root.setAttribute('aria-busy', 'true');
  clearCheck(root);
  outputs.replaceChildren();
  error.hidden = true;
  badge.textContent = 'Running…';
  try {
    const { transform } = await loadSucrase();
    const stripped = transpile(transform, ts);
    if (!stripped.ok)
      return fail(parts, describeError(`SyntaxError: ${stripped.message}`, stripped.line));
    let drawing = Promise.resolve();
    const budgetMs = Number(root.dataset.budget ?? 5) * 1000;
    const outcome = await runCell(
      stripped.js,
      cellData(root),
      (o) => {
        drawing = drawing.then(() => renderOutput(o, outputs));
      },
      budgetMs,
    );
    await drawing;
    if (outcome.state === 'stopped') {
      root.dataset.state = 'stopped';
      error.hidden = false;
      error.textContent = outcome.message;
      badge.textContent = 'Stopped: nothing to check.';
      live.textContent = outcome.message;
      return;
    }
    if (outcome.state === 'error') return fail(parts, describeError(outcome.message, outcome.line));
    const count = outputs.childElementCount;
    live.textContent = `Ran in ${Math.round(outcome.ms)} ms: ${count} output${count === 1 ? '' : 's'}.`;
    root.dataset.runMs = String(Math.round(outcome.ms));
    if (!outcome.ops.length) {
      root.dataset.state = 'done';
      badge.textContent =
        'Done. The code called no engine op, so there is nothing to check on onnxruntime-web.';
      return;
    }
    let runner = runners.get(root);
    if (!runner) runners.set(root, (runner = new TwiceRunner(root, badge)));
    const checked = await runner.run(checkRequest(parts.name, outcome.ops));
    if (checked && outcome.skipped)
      badge.textContent += ` (the first ${outcome.ops.length} op calls; ${outcome.skipped} more not checked)`;
  } catch (e) {
    fail(parts, e instanceof Error ? e.message : String(e));
  } finally {
    root.removeAttribute('aria-busy');
  }
}

function fail({ root, error, badge, live }: CellParts, message: string): void {
  root.dataset.state = 'error';
  error.hidden = false;
  error.textContent = message;
  badge.textContent = 'The code stopped with an error: nothing was checked.';
  live.textContent = message;
}

export async function share(parts: CellParts, code: string): Promise<void> {
  const url = shareUrl(location.href, parts.name, await encodeCode(code));
  const box = parts.root.querySelector<HTMLElement>('[data-share-box]');
  const input = parts.root.querySelector<HTMLInputElement>('[data-share-url]');
  if (box && input) {
    box.hidden = false;
    input.value = url;
    input.select();
  }
  try {
    await navigator.clipboard.writeText(url);
    parts.live.textContent =
      'A link to this code is copied; it opens with the code shown, not run.';
  } catch {
    parts.live.textContent = 'The link to this code is in the field below the buttons.';
  }
}
