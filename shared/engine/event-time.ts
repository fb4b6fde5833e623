// Event time as numbers. RFC 3339 parsing is on the hot path (every event), so whole seconds are cached and only the
// fraction is parsed per event; an offset other than Z falls back to Date.parse.

const secondCache = new Map<string, number>();

/** Milliseconds since the epoch (fraction of a millisecond kept), or NaN when the text is not a time. */
export function eventTimeMs(time: string): number {
  if (time.length >= 20 && time.charCodeAt(time.length - 1) === 90 /* Z */ && time.charCodeAt(10) === 84 /* T */) {
    const whole = time.slice(0, 19);
    let base = secondCache.get(whole);
    if (base === undefined) {
      base = Date.parse(`${whole}Z`);
      if (secondCache.size > 100_000) secondCache.clear();
      secondCache.set(whole, base);
    }
    if (time.charCodeAt(19) !== 46 /* . */) return base;
    let fraction = 0;
    let scale = 100;
    for (let i = 20; i < time.length - 1; i++) {
      const digit = time.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return Date.parse(time);
      fraction += digit * scale;
      scale /= 10;
    }
    return base + fraction;
  }
  return Date.parse(time);
}

/** `HH:MM:SS` of an RFC 3339 UTC time, for narratives (the date is in the story's header). */
export function clockOf(time: string): string {
  return time.length >= 19 ? time.slice(11, 19) : time;
}

export function isoOfMs(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}
