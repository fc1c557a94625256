/** The backward rule of each layer, as TeX (rendered at build time by Backprop.astro). */
export const FORMULAS = {
  loss: String.raw`L = -\log p_y,\qquad p_k = \frac{e^{z_k}}{\sum_j e^{z_j}},\qquad \frac{\partial L}{\partial z_k} = p_k - [k = y]`,
  dense: String.raw`z = W x + b:\qquad \frac{\partial L}{\partial W_{k,j}} = \delta_k\, x_j \;\;(\text{i.e. } \nabla_W L = \delta\, x^{\top}),\qquad \frac{\partial L}{\partial b_k} = \delta_k,\qquad \frac{\partial L}{\partial x_j} = \sum_k W_{k,j}\, \delta_k`,
  pool: String.raw`y_{i,j} = \max_{(r,c)\,\in\,\text{window}(i,j)} a_{r,c}:\qquad \frac{\partial L}{\partial a_{r,c}} = \begin{cases} \dfrac{\partial L}{\partial y_{i,j}} & \text{if } (r,c) \text{ is the first maximum of window } (i,j) \\ 0 & \text{otherwise} \end{cases}`,
  relu: String.raw`a = \max(0, s):\qquad \frac{\partial L}{\partial s} = \frac{\partial L}{\partial a}\cdot [\,s > 0\,] \qquad (\text{ReLU}'(0) = 0)`,
  convK: String.raw`\frac{\partial L}{\partial k_{p,q}} = \sum_{i,j} \delta_{i,j}\, x_{i+p,\,j+q},\qquad \frac{\partial L}{\partial b} = \sum_{i,j} \delta_{i,j}`,
  convX: String.raw`\frac{\partial L}{\partial x_{r,c}} = \sum_{p,q} \delta_{r-p,\,c-q}\; k_{p,q} = \big(\delta_{\text{padded by }2} \star \operatorname{flip}(k)\big)_{r,c}`,
} as const;

/** One figure of a step: the grid it holds (`data-grid`) and its caption (HTML allowed). */
export interface MapFigure {
  readonly grid: string;
  readonly caption: string;
  /** The view rewrites this caption (`data-caption`) for the channel and cell shown. */
  readonly live?: boolean;
}

/** The maps of the dense, max-pool and ReLU steps, and the conv step's two rows. */
export const MAPS = {
  dense: [
    { grid: 'dense-x', caption: 'Layer input x (pooled map)', live: true },
    {
      grid: 'dense-dw',
      caption: '∂L/∂W row k = δ<sub>k</sub> · x (click a cell to check it)',
      live: true,
    },
    { grid: 'dense-dx', caption: '∂L/∂x = Wᵀδ, reshaped to 4 × 13 × 13', live: true },
  ],
  pool: [
    { grid: 'pool-a', caption: 'ReLU output a (each window’s winner outlined)' },
    { grid: 'pool-dy', caption: 'Gradient arriving at the pooled map, 13 × 13' },
    { grid: 'pool-da', caption: '∂L/∂a: the winners get it, the rest 0' },
  ],
  relu: [
    { grid: 'relu-s', caption: 'Convolution output s (hatched: s ≤ 0, gate closed)' },
    { grid: 'relu-da', caption: '∂L/∂a from the pool' },
    { grid: 'relu-ds', caption: '∂L/∂s = ∂L/∂a · [s &gt; 0]' },
  ],
  convK: [
    { grid: 'conv-x', caption: 'Input x (cells kernel cell (p, q) meets outlined)', live: true },
    { grid: 'conv-ds', caption: 'δ = ∂L/∂s for this filter' },
    { grid: 'conv-dk', caption: '∂L/∂k for this filter (click a cell)' },
  ],
  convX: [
    {
      grid: 'conv-dx',
      caption: '∂L/∂x, the gradient on the image (click a pixel to write out its sum)',
    },
  ],
} as const satisfies Record<string, readonly MapFigure[]>;
