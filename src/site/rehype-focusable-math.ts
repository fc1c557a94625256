/**
 * Display math scrolls sideways on narrow screens (see .katex-display in global.css). A scrolling
 * region must be reachable by keyboard, so each display gets tabindex="0" and a label.
 *
 * Search: KaTeX writes each formula twice, as MathML (with the TeX source in an <annotation>) and
 * as HTML spans. Only the MathML's own text is indexed, so an excerpt reads "a 28×28 image"
 * rather than "a  image" or raw TeX. Display equations stay out of the index whole: flattened, a
 * long formula is noise in an excerpt.
 */
interface HastNode {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

function classes(node: HastNode): string[] {
  const c = node.properties?.className;
  return Array.isArray(c) ? c.map(String) : typeof c === 'string' ? c.split(/\s+/) : [];
}

export function focusableDisplayMath(tree: HastNode): void {
  const visit = (node: HastNode): void => {
    const c = node.type === 'element' ? classes(node) : [];
    if (c.includes('katex-html') || node.tagName === 'annotation') {
      node.properties = { ...node.properties, dataPagefindIgnore: 'all' };
    }
    if (c.includes('katex-display')) {
      node.properties = {
        ...node.properties,
        dataPagefindIgnore: 'all',
        tabIndex: 0,
        role: 'group',
        ariaLabel: 'Equation (scrolls sideways on narrow screens)',
      };
    }
    node.children?.forEach(visit);
  };
  visit(tree);
}

export default function rehypeFocusableMath() {
  return focusableDisplayMath;
}
