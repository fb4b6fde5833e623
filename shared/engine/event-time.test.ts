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

  it('gives bit-for-bit the value of parsing the seconds and dividing the fraction digit by digit', () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 20_000; i++) {
      const whole = new Date(Date.parse('2026-01-01T00:00:00Z') + Math.floor(random() * 3e10)).toISOString().slice(0, 19);
      let digits = '';
      for (let d = Math.floor(random() * 10); d > 0; d--) digits += Math.floor(random() * 10);
      let expected = Date.parse(`${whole}Z`);
      let fraction = 0;
      let scale = 100;
      for (const digit of digits) {
        fraction += Number(digit) * scale;
        scale /= 10;
      }
      expected += fraction;
      const time = `${whole}${digits ? `.${digits}` : ''}Z`;
      expect(Object.is(eventTimeMs(time), expected), time).toBe(true);
    }
  });
});
