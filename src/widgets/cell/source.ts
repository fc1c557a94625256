/**
 * What a cell's code becomes before it runs, and how an error's line is mapped back to the
 * reader's code. Pure: the page and the unit tests use it; no DOM, no worker.
 *
 * The reader's TypeScript is type-stripped by sucrase (`transforms: ['typescript']` keeps every
 * line where it was: types become blanks, never removed lines), then wrapped into a module:
 *
 *   line 1: import "<runtime>"; const __cell = <data>;
 *   line 2: globalThis.__cellRun(__cell, async (convbook) => { const { …API } = convbook; return (async () => {
 *   line 3…: the reader's code, line for line
 *   last:   })(); });
 *
 * so a stack frame's line in that module minus PRELUDE_LINES is the line in the editor. The
 * reader's code runs in an inner function so it may declare names the API also has.
 */
import { API_NAMES } from './api-names';

export const PRELUDE_LINES = 2;

/** The module a cell's worker runs: the runtime first, then the reader's (type-stripped) code. */
export function moduleSource(runtimeUrl: string, js: string, data: unknown): string {
  return (
    `import ${JSON.stringify(runtimeUrl)}; const __cell = ${JSON.stringify(data ?? null)};\n` +
    `globalThis.__cellRun(__cell, async (convbook) => { const { ${API_NAMES.join(', ')} } = convbook; return (async () => {\n` +
    `${js}\n})(); });\n`
  );
}

/**
 * The reader's line of the first stack frame in `moduleUrl` (the blob the worker runs), or
 * undefined when no frame is in the reader's code (an error inside the runtime itself). V8
 * frames read `at f (blob:http://host/uuid:12:5)` or `at blob:http://host/uuid:12:5`.
 */
export function userLineFromStack(stack: string, moduleUrl: string): number | undefined {
  for (const line of stack.split('\n')) {
    const at = line.lastIndexOf(moduleUrl + ':');
    if (at < 0) continue;
    const match = /^:(\d+):\d+/.exec(line.slice(at + moduleUrl.length));
    if (!match) continue;
    const n = Number(match[1]) - PRELUDE_LINES;
    if (n >= 1) return n;
  }
  return undefined;
}

/** Maps a module line (from a worker's error event) to the reader's, if it is in their code. */
export function userLineFromModuleLine(moduleLine: number, userLines: number): number | undefined {
  const n = moduleLine - PRELUDE_LINES;
  return n >= 1 && n <= userLines ? n : undefined;
}

export type Transform = (code: string, options: { transforms: ['typescript'] }) => { code: string };

export type Transpiled =
  | { readonly ok: true; readonly js: string }
  | { readonly ok: false; readonly message: string; readonly line?: number };

/**
 * Type-strips `ts` with sucrase's `transform` (passed in: the page loads sucrase lazily). A
 * syntax error comes back with its line; sucrase's message ends in "(line:column)", dropped here
 * because the line is said separately.
 */
export function transpile(transform: Transform, ts: string): Transpiled {
  try {
    const { code } = transform(ts, { transforms: ['typescript'] });
    return { ok: true, js: code };
  } catch (error) {
    const loc = (error as { loc?: { line?: number } }).loc;
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: message.replace(/\s*\(\d+:\d+\)$/, ''),
      line: typeof loc?.line === 'number' ? loc.line : undefined,
    };
  }
}

/** "line 4: x is not defined" — how every error names its place in the reader's code. */
export function describeError(message: string, line: number | undefined): string {
  return line === undefined ? message : `line ${line}: ${message}`;
}
