/**
 * The text of one exported function (with its doc comment) from a source file, for "show the
 * code". The body's brace is found after the parameter list, which may hold `= {}` defaults.
 */
export function extractFunction(text: string, name: string, path: string): string {
  const at = text.search(new RegExp(`export function ${name}\\b`));
  if (at < 0) throw new Error(`ShowCode: no exported function ${name} in ${path}`);
  // its doc comment, if one ends right before it
  const before = text.slice(0, at).trimEnd();
  const start = before.endsWith('*/') ? before.lastIndexOf('/**') : at;
  let i = text.indexOf('(', at);
  for (let parens = 0; i < text.length; i++) {
    if (text[i] === '(') parens++;
    else if (text[i] === ')' && --parens === 0) break;
  }
  let depth = 0;
  for (let k = text.indexOf('{', i); k >= 0 && k < text.length; k++) {
    if (text[k] === '{') depth++;
    else if (text[k] === '}' && --depth === 0) return text.slice(start, k + 1);
  }
  throw new Error(`ShowCode: unbalanced braces in ${name} of ${path}`);
}
