import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { extractFunction } from '../../../src/widgets/shared/show-code.ts';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('show the code: extractFunction', () => {
  test('conv2d comes out whole, past the `options = {}` default in its parameters', () => {
    const code = extractFunction(read('src/cnn/ops/conv2d.ts'), 'conv2d', 'conv2d.ts');
    expect(code.startsWith('/**\n * featureMap[n,m,i,j] = bias[m] + Σ_c Σ_p Σ_q')).toBe(true);
    expect(code).toContain('for (let q = 0; q < KW; q++) {');
    expect(code.endsWith('return { shape: [N, M, outH, outW], data: featureMap };\n}')).toBe(true);
    expect(code).not.toContain('export function conv2dBackward');
  });
  test('conv2dBackward (a destructured default parameter) comes out whole', () => {
    const code = extractFunction(read('src/cnn/ops/conv2d.ts'), 'conv2dBackward', 'conv2d.ts');
    // its own doc comment, not the file's first one
    expect(code.startsWith('/**\n * Given dy = dL/dfeatureMap')).toBe(true);
    expect(code).not.toContain('export function conv2d(');
    expect(code).toContain('dKernel[tap] += grad * x.data[input];');
    expect(code.trimEnd().endsWith('};\n}')).toBe(true);
  });
  test('every function a widget shows exists and has a body', () => {
    const uses = [
      ['src/cnn/ops/relu.ts', 'reluBackward'],
      ['src/cnn/ops/maxPool2d.ts', 'maxPool2dBackward'],
      ['src/cnn/ops/linear.ts', 'linearBackward'],
      ['src/cnn/ops/conv2dTrace.ts', 'conv2dTrace'],
    ] as const;
    for (const [path, fn] of uses) {
      const code = extractFunction(read(path), fn, path);
      expect(code, fn).toMatch(new RegExp(`export function ${fn}\\b[^]*\\{[^]*\\}$`));
      expect(code.match(/export function/g), fn).toHaveLength(1);
      expect(code.split('\n').length, fn).toBeGreaterThan(3);
    }
  });
  test('a missing function is a build error that names it', () => {
    expect(() => extractFunction('export function a() {}', 'b', 'x.ts')).toThrow(
      'ShowCode: no exported function b in x.ts',
    );
  });
});
