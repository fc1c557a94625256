import { describe, expect, it, vi } from 'vitest';
import { keptById, oncePerWorker } from '../../../src/widgets/shared/jobs';

describe('oncePerWorker(client, send)', () => {
  it('sends a value once per worker generation and hands back that sending', async () => {
    const client = { generation: 0 };
    const send = vi.fn((v: { id: number }) => Promise.resolve(`sent ${v.id}`));
    const once = oncePerWorker(client, send);
    const a = { id: 1 };
    const b = { id: 2 };
    const first = once(a);
    expect(once(a)).toBe(first);
    await expect(first).resolves.toBe('sent 1');
    void once(b);
    expect(send.mock.calls.map(([v]) => v.id)).toEqual([1, 2]);
    client.generation = 1; // the worker was replaced: it holds nothing
    const again = once(a);
    expect(again).not.toBe(first);
    expect(once(a)).toBe(again);
    expect(send.mock.calls.map(([v]) => v.id)).toEqual([1, 2, 1]);
  });
});

describe('keptById(what, keep)', () => {
  it('keeps the newest `keep` ids and names an id never sent (or dropped)', () => {
    const nets = keptById<string>('network', 2);
    expect(nets.put(1, 'one')).toBe(true);
    nets.put(2, 'two');
    nets.put(3, 'three');
    expect(nets.get(2)).toBe('two');
    expect(nets.get(3)).toBe('three');
    expect(() => nets.get(1)).toThrow('network 1 was not sent to the reference worker');
    expect(() => nets.get(9)).toThrow('network 9 was not sent to the reference worker');
  });
});
