/**
 * Search through Pagefind's static index (built after `astro build` into dist/pagefind/).
 * Pagefind's JS API is loaded on demand from the site itself; nothing leaves the origin.
 */
interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}
interface Pagefind {
  search(query: string): Promise<{ results: { data(): Promise<PagefindResultData> }[] }>;
}

let pagefind: Promise<Pagefind> | undefined;

function loadPagefind(): Promise<Pagefind> {
  // A variable keeps Vite from trying to bundle a file that only exists after the build.
  const path = '/pagefind/pagefind.js';
  pagefind ??= import(/* @vite-ignore */ path) as Promise<Pagefind>;
  return pagefind;
}

export async function runSearch(
  query: string,
  status: HTMLElement,
  list: HTMLOListElement,
): Promise<void> {
  list.replaceChildren();
  if (!query) {
    status.textContent = '';
    return;
  }
  status.textContent = 'Searching…';
  let api: Pagefind;
  try {
    api = await loadPagefind();
  } catch {
    pagefind = undefined;
    status.textContent =
      'The search index is not available. It is created by `npm run build`; in `npm run dev` search is off.';
    return;
  }
  const found = await api.search(query);
  const data = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
  status.textContent =
    data.length === 0
      ? `No lesson mentions “${query}”.`
      : `${found.results.length} result${found.results.length === 1 ? '' : 's'} for “${query}”.`;
  for (const item of data) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = item.url;
    a.textContent = item.meta.title ?? item.url;
    const p = document.createElement('p');
    // Pagefind's excerpt is HTML-escaped text with <mark> highlights only.
    p.innerHTML = item.excerpt;
    li.append(a, p);
    list.append(li);
  }
}
