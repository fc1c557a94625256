/**
 * conv-arithmetic (lesson 3), declared on the widget kernel: the settings come from the link and
 * the controls (the last valid picture stays while a control holds something invalid, with the
 * engine's message by it), the reference engine computes the output once per settings, ORT
 * computes it again (one Conv or ConvTranspose node), and a Player walks the output cells (conv)
 * or the input cells (transpose): ←/→ a cell, ↑/↓ a row, a click on a cell goes there.
 */
import { tensorFeeds } from '../shared/net-feeds';
import type { WidgetSpec } from '../shared/define';
import { onCellPick } from '../shared/grid-nav';
import { Player, playerParts } from '../shared/player';
import { readParams } from '../shared/url-state';
import { announce, computeArith } from './arith';
import type { ArithOk } from './arith';
import { arithModel, arithModelKey } from './model';
import { controlsPanel } from './panels/controls';
import { figurePanels } from './panels/figure';
import type { Drawn } from './panels/figure';
import { fromParams, NAMESPACE, reduceArith, stateFor, toParams } from './state';
import type { ArithAction, ArithState } from './state';

export const arithWidget: WidgetSpec<ArithState, ArithAction, ArithOk> = {
  name: 'conv-arithmetic',
  ns: NAMESPACE,
  frame: true,
  init() {
    const { settings, step, notes } = fromParams(readParams(NAMESPACE));
    return { state: stateFor(settings, step), notes };
  },
  reduce: reduceArith,
  compute: {
    key: (s) => JSON.stringify(s.settings),
    run(s) {
      const r = computeArith(s.settings);
      if (!r.ok) throw new Error(r.message); // the reducer keeps only valid settings
      return r;
    },
    check: (_s, r) => ({
      key: arithModelKey(r),
      model: () => arithModel(r),
      feeds: tensorFeeds(r, 'x', 'kernel'),
      expected: { y: r.y.data },
    }),
  },
  params: (s) => toParams(s.settings, s.step),
  view(ctx) {
    const { root, $, dispatch, state } = ctx;
    const drawn: Drawn = {};
    const stage = $('[data-stage]');
    const player = new Player(playerParts(root, stage), {
      count: () => state().walk.count,
      cols: () => state().walk.cols,
      position: (step) => {
        const { count, cols } = state().walk;
        const what = state().settings.mode === 'conv' ? 'output' : 'input';
        return `Step ${step + 1} of ${count}: ${what} row ${Math.floor(step / cols)}, column ${step % cols}`;
      },
      show: (step) => dispatch({ kind: 'step', step }),
      describe: (step) => (drawn.result ? announce(drawn.result, step) : ''),
    });
    // The cells of the walk: the output's in conv mode, the input's in transpose mode.
    const conv = () => state().settings.mode === 'conv';
    onCellPick($('[data-grid="out"]'), (i) => conv() && player.pick(i));
    onCellPick($('[data-grid="in"]'), (i) => !conv() && player.pick(i));
    return [
      controlsPanel(ctx),
      ...figurePanels(ctx, drawn, (s) => player.reset(s.step)),
      (s) => {
        if (player.step !== s.step) player.reset(s.step);
      },
    ];
  },
};
