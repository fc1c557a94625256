/**
 * No import cycles in src/, type-only imports included (docs/architecture.md, Folders). ESLint's
 * built-in rules cannot see cycles, so this walks the import graph itself: every relative or `@/`
 * specifier of every .ts file and .astro frontmatter/script, resolved the way Vite resolves them.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return /\.(ts|astro)$/.test(d.name) ? [path] : [];
  });
}

/** The module code of a file: all of a .ts file; an .astro file's frontmatter and scripts. */
function moduleCode(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.astro')) return text;
  const frontmatter = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
  const scripts = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  return [frontmatter, ...scripts].join('\n');
}

function resolveImport(from: string, specifier: string): string | null {
  const bare = specifier.split('?')[0]!;
  let base: string;
  if (bare.startsWith('.')) base = resolve(dirname(from), bare);
  else if (bare.startsWith('@/')) base = join(root, 'src', bare.slice(2));
  else return null;
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (/\.(ts|astro)$/.test(candidate) && existsSync(candidate)) return candidate;
  }
  return null;
}

/** Every cycle the depth-first walk meets, as the files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('the import graph of src/', () => {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(join(root, 'src'))) {
    const { importedFiles } = ts.preProcessFile(moduleCode(file), true, true);
    graph.set(
      file,
      importedFiles
        .map((i) => resolveImport(file, i.fileName))
        .filter((f): f is string => f !== null),
    );
  }

  it('is read (the walk resolves the imports it should)', () => {
    const client = graph.get(join(root, 'src/runtime/client.ts'));
    expect(client).toContain(join(root, 'src/runtime/protocol.ts'));
    expect(graph.size).toBeGreaterThan(100);
  });

  it('has no cycles, type-only imports included', () => {
    expect(cycles(graph).map((c) => c.map((f) => relative(root, f)).join(' → '))).toEqual([]);
  });

  it('would report one', () => {
    const a = join(root, 'a.ts');
    const b = join(root, 'b.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([[a, b, a]]);
  });
});
