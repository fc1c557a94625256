import { describe, expect, it } from 'vitest';
import {
  decodeCode,
  encodeCode,
  fromBase64Url,
  keepEdit,
  keptEdit,
  shareUrl,
  sharedParam,
  storageKey,
  toBase64Url,
  withoutShared,
} from '../../../src/widgets/cell/share';

class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, v);
  removeItem = (k: string) => void this.map.delete(k);
}

describe('share-link codec', () => {
  it('encodeCode → decodeCode round-trips code with Unicode and is URL-safe', async () => {
    const code = `// naïve “loop” → ∑ 🙂\nfor (let i = 0; i < 10; i++) show(i * 0.5);\n`.repeat(20);
    const text = await encodeCode(code);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(text.length).toBeLessThan(code.length); // compressed
    expect(await decodeCode(text)).toBe(code);
  });

  it('decodeCode answers null for text it did not write', async () => {
    const text = await encodeCode('show(1)');
    expect(await decodeCode(text.slice(0, 3))).toBeNull();
    expect(await decodeCode('not base64!')).toBeNull();
  });

  it('base64url round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect([...fromBase64Url(toBase64Url(bytes))]).toEqual([...bytes]);
  });

  it('shareUrl puts one cell’s code in the fragment, keeping other cells’', () => {
    const href = shareUrl('http://127.0.0.1/lessons/x/?backend=wasm#code.a=AAA', 'b', 'BBB');
    const url = new URL(href);
    expect(url.search).toBe('?backend=wasm');
    expect(sharedParam(url.hash, 'a')).toBe('AAA');
    expect(sharedParam(url.hash, 'b')).toBe('BBB');
    expect(sharedParam('#section-2', 'b')).toBeUndefined();
    expect(withoutShared(url.hash, 'b')).toBe('#code.a=AAA');
    expect(withoutShared('#code.b=BBB', 'b')).toBe('');
  });
});

describe('kept edits', () => {
  it('keeps an edit per lesson and cell, and forgets it when it equals the original', () => {
    const s = new MemoryStorage() as unknown as Storage;
    const key = storageKey('/lessons/convolution/', 'conv-loop');
    expect(key).toBe('convbook:cell:/lessons/convolution/:conv-loop');
    keepEdit(s, key, 'show(2)', 'show(1)');
    expect(keptEdit(s, key)).toBe('show(2)');
    expect(keptEdit(s, storageKey('/lessons/pooling/', 'conv-loop'))).toBeNull();
    keepEdit(s, key, 'show(1)', 'show(1)');
    expect(keptEdit(s, key)).toBeNull();
  });
});
