import { describe, expect, it } from 'vitest';
import { eventTimeMs } from './event-time.js';

describe('eventTimeMs', () => {
  it('agrees with Date.parse on RFC 3339 UTC times across second, hour, day and year boundaries', () => {
    const times = ['2026-11-20T10:00:00Z', '2026-11-20T10:00:00.5Z', '2026-11-20T10:59:59.123Z', '2026-11-20T11:00:00Z', '2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00Z', '2026-02-28T23:00:01Z'];
    for (const time of [...times, ...times.slice().reverse()]) expect(eventTimeMs(time), time).toBe(Date.parse(time));
  });

  it('keeps the fraction of a millisecond', () => {
    expect(eventTimeMs('2026-11-20T10:59:59.999999Z') - Date.parse('2026-11-20T10:59:59.999Z')).toBeCloseTo(0.999, 3);
  });

  it('falls back to Date.parse for offsets and gives NaN for text that is not a time', () => {
    expect(eventTimeMs('2026-11-20T10:00:00+01:00')).toBe(Date.parse('2026-11-20T09:00:00Z'));
    expect(eventTimeMs('2026-11-20T10:0x:00Z')).toBeNaN();
    expect(eventTimeMs('not a time at all, but long Z')).toBeNaN();
  });
});
