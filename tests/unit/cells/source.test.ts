import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'sucrase';
import { describe, expect, it } from 'vitest';
import {
  PRELUDE_LINES,
  describeError,
  moduleSource,
  transpile,
  userLineFromModuleLine,
  userLineFromStack,
} from '../../../src/widgets/cell/source';

const TS = `interface Point {
  x: number;
  y: number;
}
type Pair = [number, number];
const p: Point = { x: 1, y: 2 };
function twice(v: number): number {
  return v * 2;
}
const pair = [twice(p.x), p.y] as Pair;
throw new Error('boom at line 11 ' + pair.join());`;

describe('transpile(transform, ts)', () => {
  it('strips types and keeps every line where it was', () => {
    const out = transpile(transform, TS);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const lines = out.js.split('\n');
    expect(lines.length).toBe(TS.split('\n').length);
    expect(out.js).not.toMatch(/interface|: number|as Pair/);
    expect(lines[10]).toContain("throw new Error('boom at line 11 '");
    expect(lines[6]).toContain('function twice(v)');
  });

  it('names the line of a syntax error, without sucrase’s (line:col) suffix', () => {
    const out = transpile(transform, 'const a = 1;\nconst b = ;\n');
    expect(out).toEqual({ ok: false, message: 'Unexpected token', line: 2 });
    expect(describeError('SyntaxError: Unexpected token', 2)).toBe(
      'line 2: SyntaxError: Unexpected token',
    );
  });
});

describe('moduleSource + userLineFromStack', () => {
  it('puts the reader’s first line at PRELUDE_LINES + 1', () => {
    const src = moduleSource('https://x/runtime.js', 'first();\nsecond();', null);
    const lines = src.split('\n');
    expect(lines[PRELUDE_LINES]).toBe('first();');
    expect(lines[PRELUDE_LINES + 1]).toBe('second();');
  });

  it('maps a real V8 stack back to the reader’s line, and lets the code shadow API names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cell-'));
    // A stand-in runtime: runs the body with an empty API and keeps what it threw.
    const runtime = join(dir, 'runtime.mjs');
    writeFileSync(
      runtime,
      'globalThis.__cellRun = (data, body) => body({}).then((v) => (globalThis.__cellOut = { v, data }), (e) => (globalThis.__cellOut = { e, data }));',
    );
    const js = (transpile(transform, TS) as { js: string }).js;
    // `conv2d` is an API name: the reader may still declare it.
    const code = `function conv2d() { return 1; }\n${js}`;
    const file = join(dir, 'cell.mjs');
    writeFileSync(file, moduleSource(pathToFileURL(runtime).href, code, { digits: [] }));
    await import(pathToFileURL(file).href);
    await new Promise((r) => setTimeout(r, 10));
    const out = (globalThis as unknown as { __cellOut: { e: Error; data: unknown } }).__cellOut;
    expect(out.data).toEqual({ digits: [] });
    expect(out.e.message).toContain('boom at line 11');
    // Vitest's module runner names the file by its path (a browser: by the blob: URL).
    expect(userLineFromStack(out.e.stack ?? '', file)).toBe(12);
  });

  it('ignores frames outside the reader’s module, and lines of the prelude', () => {
    const url = 'blob:http://127.0.0.1:4321/0d1f';
    const stack = `Error: x\n    at f (http://127.0.0.1:4321/_astro/runtime.js:1:200)\n    at ${url}:2:40\n    at g (${url}:9:3)`;
    expect(userLineFromStack(stack, url)).toBe(9 - PRELUDE_LINES);
    expect(userLineFromStack('Error: x\n    at nowhere (other.js:5:1)', url)).toBeUndefined();
    expect(userLineFromModuleLine(PRELUDE_LINES + 4, 10)).toBe(4);
    expect(userLineFromModuleLine(1, 10)).toBeUndefined();
    expect(userLineFromModuleLine(PRELUDE_LINES + 11, 10)).toBeUndefined();
  });
});
