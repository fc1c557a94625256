import { describe, expect, it } from 'vitest';
import { chooseBackend, isSoftwareAdapter, webgpuStatus } from '../../../src/runtime/backends';
import type { BackendStatus } from '../../../src/runtime/backends';
import { crossCheck, mergeChecks, TOLERANCE } from '../../../src/runtime/crosscheck';
import { wasmThreads } from '../../../src/runtime/ort';

describe('crossCheck(backend, ort, reference)', () => {
  it('reports max abs and rel error and agrees within the stated tolerance', () => {
    const c = crossCheck('wasm', [1, 2.00005, -3], [1, 2, -3]);
    expect(c.maxAbsError).toBeCloseTo(5e-5, 9);
    expect(c.maxRelError).toBeCloseTo(2.5e-5, 9);
    expect(c.tolerance).toBe(TOLERANCE.wasm);
    expect(c.agree).toBe(true);
    expect(c.count).toBe(3);
  });
  it('disagrees past the tolerance', () => {
    expect(crossCheck('wasm', [1.001], [1]).agree).toBe(false);
    expect(crossCheck('webgpu', [1.0005], [1]).agree).toBe(true);
  });
  it('treats a NaN on one side only as disagreement with infinite error', () => {
    const c = crossCheck('wasm', [Number.NaN, 1], [0, 1]);
    expect(c.agree).toBe(false);
    expect(c.maxAbsError).toBe(Number.POSITIVE_INFINITY);
    expect(crossCheck('wasm', [Number.NaN], [Number.NaN]).agree).toBe(true);
  });
  it('throws when lengths differ, quoting both', () => {
    expect(() => crossCheck('wasm', [1, 2], [1])).toThrow(
      /ORT gave 2 values but the reference gave 1/,
    );
  });
  it('mergeChecks keeps the worst error and requires every check to agree', () => {
    const m = mergeChecks([crossCheck('wasm', [1], [1]), crossCheck('wasm', [2.5], [2])]);
    expect(m.maxAbsError).toBeCloseTo(0.5);
    expect(m.agree).toBe(false);
    expect(m.count).toBe(2);
  });
});

const swiftshader = {
  vendor: 'google',
  architecture: 'swiftshader',
  description: '',
  isFallbackAdapter: false,
};
const nvidia = {
  vendor: 'nvidia',
  architecture: 'ampere',
  description: 'RTX',
  isFallbackAdapter: false,
};

describe('backends', () => {
  it('isSoftwareAdapter spots SwiftShader, llvmpipe and fallback adapters', () => {
    expect(isSoftwareAdapter(swiftshader)).toBe(true);
    expect(isSoftwareAdapter({ ...nvidia, description: 'llvmpipe (LLVM 15)' })).toBe(true);
    expect(isSoftwareAdapter({ ...nvidia, isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter(nvidia)).toBe(false);
  });
  it('webgpuStatus explains each way WebGPU can be missing', () => {
    expect(webgpuStatus(false, null).reason).toMatch(/no WebGPU/);
    expect(webgpuStatus(true, null).reason).toMatch(/no usable GPU adapter/);
    expect(webgpuStatus(true, null, 'boom').reason).toBe('boom');
    const sw = webgpuStatus(true, swiftshader);
    expect(sw).toMatchObject({ available: true, recommended: false });
    expect(sw.reason).toMatch(/software/);
    expect(webgpuStatus(true, nvidia)).toMatchObject({ available: true, recommended: true });
  });
  const wasm: BackendStatus = { name: 'wasm', available: true, recommended: true };
  const ref: BackendStatus = { name: 'reference', available: true, recommended: true };
  it('chooseBackend prefers a hardware GPU, then wasm, then the reference', () => {
    expect(chooseBackend([webgpuStatus(true, nvidia), wasm, ref]).backend).toBe('webgpu');
    expect(chooseBackend([webgpuStatus(true, swiftshader), wasm, ref]).backend).toBe('wasm');
    expect(
      chooseBackend([
        webgpuStatus(false, null),
        { ...wasm, available: false, recommended: false },
        ref,
      ]).backend,
    ).toBe('reference');
  });
  it('chooseBackend honours an available request and explains an unavailable one', () => {
    expect(chooseBackend([webgpuStatus(true, swiftshader), wasm, ref], 'webgpu')).toEqual({
      backend: 'webgpu',
    });
    const r = chooseBackend([webgpuStatus(false, null), wasm, ref], 'webgpu');
    expect(r.backend).toBe('wasm');
    expect(r.note).toMatch(/WebGPU is not available \(this browser has no WebGPU/);
  });
  it('wasmThreads leaves a core to the page, uses up to 4, and more than one only when isolated', () => {
    expect(wasmThreads(false, 8)).toBe(1);
    expect(wasmThreads(true, 1)).toBe(1);
    expect(wasmThreads(true, 2)).toBe(1);
    expect(wasmThreads(true, 3)).toBe(2);
    expect(wasmThreads(true, 16)).toBe(4);
    expect(wasmThreads(true, undefined)).toBe(1);
  });
});
