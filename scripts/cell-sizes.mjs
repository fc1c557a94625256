// Gzip sizes of what a notebook cell costs (docs/cells.md, "Sizes and speed"): the page script
// and its static imports before any interaction, and the chunks loaded on first Edit (editor +
// transpiler) and first Run. Reads dist/ after `npm run build`. Chunks a lesson page loads anyway
// (shared with the other widgets' scripts) are listed but not counted as the cell's.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = 'dist/_astro';
const files = readdirSync(dir);
const gz = (f) => gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
const find = (prefix) => {
  const f = files.find((n) => n.startsWith(prefix) && n.endsWith('.js'));
  if (!f) throw new Error(`no chunk ${prefix}* in ${dir}`);
  return f;
};
/** The chunk and everything it imports statically. */
function closure(entry, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(join(dir, entry), 'utf8');
  for (const m of text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) closure(m[1], seen);
  return seen;
}
const page = readFileSync('dist/lessons/convolution-and-feature-maps/index.html', 'utf8');
const pageScripts = [...page.matchAll(/<script type="module" src="\/_astro\/([^"]+)"/g)].map(
  (m) => m[1],
);
const cell = pageScripts.find((s) => s.startsWith('Cell.astro'));
const others = new Set(pageScripts.filter((s) => s !== cell).flatMap((s) => [...closure(s)]));
const sum = (set) => [...set].reduce((n, f) => n + gz(f), 0);
const own = (set) => new Set([...set].filter((f) => !others.has(f)));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const before = closure(cell);
// Sucrase's chunk is named after its folder (esm.*): found by an option only it has.
const sucrase = files.find(
  (f) => f.endsWith('.js') && readFileSync(join(dir, f), 'utf8').includes('jsxPragma'),
);
const edit = own(new Set([...closure(find('editor.')), ...closure(sucrase)]));
const run = own(new Set([...closure(find('session.'))]));
for (const f of before) {
  edit.delete(f);
  run.delete(f);
}
const worker = closure(find('runtime-'));
const diff = own(closure(find('diff.')));
const report = [
  ['before interaction (Cell script + imports not shared)', own(before)],
  ['first Edit: editor + sucrase', edit],
  ['first Run: session (runner, outputs, ORT check glue)', run],
  ['the cell worker’s runtime (engine + API), per run', worker],
  ['opening "Your changes": the line diff', diff],
];
for (const [what, set] of report)
  console.log(
    `${what}: ${kb(sum(set))} gzip — ${[...set].map((f) => `${f} ${kb(gz(f))}`).join(', ')}`,
  );

// Every lesson: what its page's cells add before interaction — the JS its module scripts load
// (with their static imports) minus what its other scripts load anyway.
const lessons = readdirSync('dist/lessons', { withFileTypes: true }).filter((d) => d.isDirectory());
for (const { name } of lessons) {
  const html = readFileSync(`dist/lessons/${name}/index.html`, 'utf8');
  const scripts = [...html.matchAll(/<script type="module" src="\/_astro\/([^"]+)"/g)].map(
    (m) => m[1],
  );
  const cellScript = scripts.find((s) => s.startsWith('Cell.astro'));
  if (!cellScript) {
    console.log(`${name}: no cell`);
    continue;
  }
  const rest = new Set(scripts.filter((s) => s !== cellScript).flatMap((s) => [...closure(s)]));
  const added = [...closure(cellScript)].filter((f) => !rest.has(f));
  const cells = html.match(/data-code-cell="[^"]+"/g)?.length ?? 0;
  console.log(`${name}: ${cells} cell(s), JS before interaction +${kb(sum(new Set(added)))} gzip`);
}
