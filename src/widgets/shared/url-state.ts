/**
 * Widget state in the URL, so a shared link restores it. Each widget owns a namespace
 * (`conv.kernel=…`); values are strings and each widget's pure state module parses them with
 * its own validation, tolerating anything found there.
 */
export function readParams(
  namespace: string,
  search: string = location.search,
): Map<string, string> {
  const out = new Map<string, string>();
  const prefix = `${namespace}.`;
  for (const [k, v] of new URLSearchParams(search)) {
    if (k.startsWith(prefix)) out.set(k.slice(prefix.length), v);
  }
  return out;
}

/** Replaces this widget's parameters (others are kept); no history entry, no reload. */
export function writeParams(
  namespace: string,
  params: Readonly<Record<string, string | undefined>>,
): void {
  const url = new URL(location.href);
  const prefix = `${namespace}.`;
  for (const key of [...url.searchParams.keys()])
    if (key.startsWith(prefix)) url.searchParams.delete(key);
  for (const [k, v] of Object.entries(params))
    if (v !== undefined) url.searchParams.set(prefix + k, v);
  history.replaceState(history.state, '', url);
}
