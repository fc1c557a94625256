import { describe, expect, it } from 'vitest';
import { focusableDisplayMath } from '../../../src/site/rehype-focusable-math';

type Node = {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: Node[];
  value?: string;
};
const el = (tagName: string, className: string[], children: Node[] = []): Node => ({
  type: 'element',
  tagName,
  properties: className.length ? { className } : {},
  children,
});
const text = (value: string): Node => ({ type: 'text', value });

/** KaTeX's output shape: MathML (with the TeX in <annotation>) beside the HTML rendering. */
const katex = (tex: string, shown: string): Node =>
  el(
    'span',
    ['katex'],
    [
      el(
        'span',
        ['katex-mathml'],
        [
          el(
            'math',
            [],
            [el('semantics', [], [el('mn', [], [text(shown)]), el('annotation', [], [text(tex)])])],
          ),
        ],
      ),
      el('span', ['katex-html'], [text(shown)]),
    ],
  );

/** The text Pagefind would index: everything not under data-pagefind-ignore. */
function indexed(node: Node): string {
  if (node.properties?.dataPagefindIgnore) return '';
  if (node.type === 'text') return node.value ?? '';
  return (node.children ?? []).map(indexed).join('');
}

describe('math in the search index', () => {
  it('indexes inline math once, as its MathML text, without the TeX source', () => {
    const p = el('p', [], [text('a '), katex('28 \\times 28', '28×28'), text(' image')]);
    focusableDisplayMath(p);
    expect(indexed(p)).toBe('a 28×28 image');
  });

  it('keeps display equations out of the index and makes them keyboard-scrollable', () => {
    const display = el('span', ['katex-display'], [katex('y = \\sum x', 'y=∑x')]);
    const p = el('div', [], [text('before '), display, text(' after')]);
    focusableDisplayMath(p);
    expect(indexed(p)).toBe('before  after');
    expect(display.properties).toMatchObject({ tabIndex: 0, role: 'group' });
  });
});
