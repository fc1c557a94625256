// Sums ORT profile lines (stdin) by node: prints the mean µs per run of each node, slowest first.
import fs from 'node:fs';
const text = fs.readFileSync(0, 'utf8');
if (process.argv.includes('--sections')) {
  // micro.ts output: '@@ name' then that graph's profile; print the median kernel time per run.
  const sections = text.split('\n@@ ').slice(1);
  for (const sec of sections) {
    const name = sec.slice(0, sec.indexOf('\n'));
    const perNode = new Map();
    for (const line of sec.split('\n')) {
      if (!line.includes('_kernel_time')) continue;
      const j = JSON.parse(line.trim().replace(/,$/, ''));
      const list = perNode.get(j.name) ?? { op: j.args.op_name, durs: [] };
      list.durs.push(j.dur);
      perNode.set(j.name, list);
    }
    let total = 0;
    const parts = [];
    for (const [, { op, durs }] of perNode) {
      const sorted = durs.slice(5).sort((a, b) => a - b);
      const med = sorted[Math.floor(sorted.length / 2)] ?? 0;
      total += med;
      parts.push(`${op} ${med}`);
    }
    console.log(`${String(total).padStart(6)} µs  ${name}   (${parts.join(', ')})`);
  }
  process.exit(0);
}
const by = new Map();
for (const line of text.split('\n')) {
  if (!line.includes('_kernel_time')) continue;
  const json = JSON.parse(line.trim().replace(/,$/, ''));
  const name = json.name.replace(/_kernel_time$/, '');
  const e = by.get(name) ?? {
    op: json.args.op_name,
    total: 0,
    count: 0,
    shape: JSON.stringify(json.args.input_type_shape),
  };
  e.total += json.dur;
  e.count += 1;
  by.set(name, e);
}
const rows = [...by.entries()].sort((a, b) => b[1].total - a[1].total);
const runs = Math.max(...rows.map((r) => r[1].count));
let sum = 0;
for (const [, e] of rows) sum += e.total / runs;
console.log(`${rows.length} nodes, ${runs} runs, ${sum.toFixed(0)} µs of kernel time per run`);
for (const [name, e] of rows.slice(0, Number(process.argv[2] ?? 25))) {
  console.log(
    `${(e.total / runs).toFixed(0).padStart(6)} µs  ${e.op.padEnd(16)} ${name}  ${e.shape}`,
  );
}
