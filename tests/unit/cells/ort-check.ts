/** Runs a cell's check request on ORT wasm in Node: each output's length and worst difference. */
import type { TwiceRequest } from '../../../src/widgets/shared/twice';
import { createSession } from '../helpers/ort-node';

export async function errorsOnOrt(
  req: TwiceRequest,
): Promise<Record<string, { readonly length: number; readonly worst: number }>> {
  const session = await createSession(req.model());
  try {
    const feeds = Object.fromEntries(
      Object.entries(req.feeds).map(([k, v]) => [
        k,
        { shape: v.dims, data: v.data as Float32Array },
      ]),
    );
    const out = await session.run(feeds);
    const result: Record<string, { length: number; worst: number }> = {};
    for (const [name, expected] of Object.entries(req.expected)) {
      const got = out[name]!.data;
      let worst = got.length === expected.length ? 0 : Infinity;
      for (let k = 0; k < got.length; k++)
        worst = Math.max(worst, Math.abs(got[k]! - expected[k]!));
      result[name] = { length: got.length, worst };
    }
    return result;
  } finally {
    await session.release();
  }
}
