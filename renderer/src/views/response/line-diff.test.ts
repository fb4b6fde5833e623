import { describe, expect, it } from 'vitest';
import { lineDiff } from './line-diff.js';

describe('lineDiff', () => {
  it('keeps common lines and marks removed and added ones', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc\nd')).toEqual([
      { op: ' ', text: 'a' }, { op: '-', text: 'b' }, { op: '+', text: 'x' }, { op: ' ', text: 'c' }, { op: '+', text: 'd' },
    ]);
  });
  it('shows a created object as all added and a deleted one as all removed', () => {
    expect(lineDiff('', 'a\nb').map((l) => l.op).join('')).toBe('++');
    expect(lineDiff('a', '').map((l) => l.op).join('')).toBe('-');
  });
});
