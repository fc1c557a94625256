/**
 * Display math scrolls sideways on narrow screens (see .katex-display in global.css). A scrolling
 * region must be reachable by keyboard, so each display gets tabindex="0" and a label. All math is
 * also kept out of the search index: KaTeX's hidden TeX annotations would otherwise fill search
 * excerpts with raw TeX and match nonsense queries.
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
    if (node.type === 'element' && classes(node).includes('katex')) {
      node.properties = { ...node.properties, dataPagefindIgnore: 'all' };
    }
    if (node.type === 'element' && classes(node).includes('katex-display')) {
      node.properties = {
        ...node.properties,
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
