/** The dense, max-pool and ReLU steps: each layer's input, the gradient in, the gradient out. */
import { num } from '../../shared/format';
import { closedGates, FEATURES, nonZero, plane, POOLED, winnerCells } from '../backward';
import { changed, data, sub } from './common';
import type { BackpropPanel, PanelParts } from './common';
import { paint } from './grids';

const PLANE = POOLED * POOLED;

export function densePanel({ $, grids: { maps } }: PanelParts): BackpropPanel {
  return (s, r, prev) => {
    if (!changed(prev, s, 'channel', 'unit', 'weight')) return;
    const { pass: d } = r;
    const c = s.channel;
    const u = s.unit;
    paint(maps, 'dense-x', plane(d.pooled, c));
    const dw = d.grads['4.weight'].data.subarray(
      u * FEATURES + c * PLANE,
      u * FEATURES + (c + 1) * PLANE,
    );
    paint(maps, 'dense-dw', dw);
    paint(maps, 'dense-dx', plane(d.dPooled, c));
    $('[data-caption="dense-x"]').textContent = `Layer input x: pooled map, channel ${c}`;
    $('[data-caption="dense-dw"]').textContent =
      `∂L/∂W, row ${u}, the part that reads channel ${c}: δ${sub(u)} · x (click a cell to check it)`;
    $('[data-caption="dense-dx"]').textContent =
      `∂L/∂x = Wᵀδ, channel ${c} of the 4 × 13 × 13 reshape`;
    const delta = d.dLogits.data[u];
    $('[data-out="dense-explain"]').textContent =
      `δ${sub(u)} = ${num(delta, 4)}, so row ${u} of ∂L/∂W is the input map scaled by ${num(delta, 4)}${delta < 0 ? ' (negative: the step W ← W − lr·∂L/∂W will raise this class’s weights where x is large)' : ' (positive: the step lowers this class’s weights where x is large)'}. Flatten’s backward only reshapes the 676 input gradients back to 4 maps of 13 × 13.`;
    const w = s.weight;
    const f = w.kind === 'dense' && w.unit === u ? w.feature - c * PLANE : -1;
    maps['dense-dw'].highlight('is-current', f >= 0 && f < PLANE ? [f] : []);
  };
}

export function poolPanel({ $, grids: { maps } }: PanelParts): BackpropPanel {
  return (s, r, prev) => {
    if (!changed(prev, s, 'channel')) return;
    const { pass: d } = r;
    const winners = winnerCells(d.argmax, s.channel);
    const a = plane(d.relu, s.channel);
    paint(maps, 'pool-a', a);
    maps['pool-a'].highlight('bp-win', winners);
    paint(maps, 'pool-dy', plane(d.dPooled, s.channel));
    const da = plane(d.dRelu, s.channel);
    paint(maps, 'pool-da', da);
    maps['pool-da'].highlight('bp-win', winners);
    const blankTies = winners.filter((i) => a[i] === 0).length;
    $('[data-out="pool-explain"]').textContent =
      `Each of the 169 windows passes its gradient to one cell — its maximum, the first one in reading order when several tie — so at most 169 of the 676 cells get a gradient (${nonZero(da)} are non-zero here). ${blankTies} windows are all zeros (blank background or closed ReLUs); their top-left cell is the "winner" and receives the gradient, which the ReLU then blocks.`;
  };
}

export function reluPanel({ root, $, grids: { maps } }: PanelParts): BackpropPanel {
  return (s, r, prev) => {
    if (!changed(prev, s, 'channel')) return;
    const { pass: d } = r;
    paint(maps, 'relu-s', plane(d.conv, s.channel));
    const closed = closedGates(d.conv, s.channel);
    maps['relu-s'].highlight('bp-closed', closed);
    const da = plane(d.dRelu, s.channel);
    paint(maps, 'relu-da', da);
    paint(maps, 'relu-ds', plane(d.dConv, s.channel));
    maps['relu-ds'].highlight('bp-closed', closed);
    const blocked = closed.filter((i) => da[i] !== 0).length;
    $('[data-out="relu-explain"]').textContent =
      `The gate is closed at ${closed.length} of 676 cells (s ≤ 0). ${blocked} of them had a non-zero gradient arriving, which stops here: those cells’ weights get no signal from this digit.`;
    data(root, 'closedGates', closed.length);
  };
}
