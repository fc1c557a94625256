import { describe, expect, it } from 'vitest';
import { navigate } from '../../../src/widgets/shared/grid-nav';

describe('navigate(key, index, count, cols) — the one stepper model', () => {
  // a 3 × 4 grid: indices 0..11, 4 a row
  it('←/→ move one cell, clamped at the ends', () => {
    expect(navigate('ArrowRight', 5, 12, 4)).toBe(6);
    expect(navigate('ArrowLeft', 5, 12, 4)).toBe(4);
    expect(navigate('ArrowLeft', 0, 12, 4)).toBe(0);
    expect(navigate('ArrowRight', 11, 12, 4)).toBe(11);
  });
  it('↑/↓ move one row and stay put at the top and bottom rows', () => {
    expect(navigate('ArrowDown', 5, 12, 4)).toBe(9);
    expect(navigate('ArrowUp', 5, 12, 4)).toBe(1);
    expect(navigate('ArrowDown', 9, 12, 4)).toBe(9);
    expect(navigate('ArrowUp', 2, 12, 4)).toBe(2);
  });
  it('in a one-row stepper ↑/↓ step back and forward', () => {
    expect(navigate('ArrowDown', 2, 6)).toBe(3);
    expect(navigate('ArrowUp', 2, 6)).toBe(1);
    expect(navigate('ArrowDown', 5, 6)).toBe(5);
  });
  it('Home/End, Space, and other keys', () => {
    expect(navigate('Home', 7, 12, 4)).toBe(0);
    expect(navigate('End', 7, 12, 4)).toBe(11);
    expect(navigate(' ', 7, 12, 4)).toBe('toggle');
    expect(navigate('a', 7, 12, 4)).toBeNull();
  });
});
