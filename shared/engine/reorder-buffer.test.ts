import { describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../model/event.js';
import { ReorderBuffer } from './reorder-buffer.js';

const at = (id: string, time: string) => ({ id, time, kind: 'syscall.first' }) as unknown as RuntimeEvent;

describe('ReorderBuffer', () => {
  it('releases events sorted once the watermark passes them, holds the rest', () => {
    const buffer = new ReorderBuffer(2_000);
    expect(buffer.push([at('b', '2026-11-20T10:00:01Z'), at('a', '2026-11-20T10:00:00.5Z')])).toEqual([]);
    const released = buffer.push([at('c', '2026-11-20T10:00:03Z')]);
    expect(released.map((t) => t.event.id)).toEqual(['a', 'b']);
    expect(buffer.held).toBe(1);
    expect(buffer.drain().map((t) => t.event.id)).toEqual(['c']);
  });

  it('orders equal times by id and counts late events instead of hiding them', () => {
    const buffer = new ReorderBuffer(1_000);
    buffer.push([at('z', '2026-11-20T10:00:00Z'), at('y', '2026-11-20T10:00:00Z')]);
    expect(buffer.push([at('x', '2026-11-20T10:00:05Z')]).map((t) => t.event.id)).toEqual(['y', 'z']);
    expect(buffer.push([at('late', '2026-11-20T09:59:00Z')]).map((t) => t.event.id)).toEqual(['late']);
    expect(buffer.lateEvents).toBe(1);
    buffer.push([at('bad', 'yesterday')]);
    expect(buffer.invalidTimes).toBe(1);
  });
});
