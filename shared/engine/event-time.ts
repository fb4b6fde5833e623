// Event time as numbers. RFC 3339 parsing is on the hot path (every event), so whole seconds are cached and only the
// fraction is parsed per event; an offset other than Z falls back to Date.parse.

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return value;
}

let lastHour = '';
let lastHourMs = NaN;

/**
 * `YYYY-MM-DDTHH:MM:SS` → ms by arithmetic: the hour is computed once (Date.UTC) and reused while events share it,
 * minutes and seconds are added (out-of-range values roll over exactly as Date.UTC would roll them).
 */
function wholeSecondsMs(time: string): number {
  if (lastHour.length !== 13 || !time.startsWith(lastHour)) {
    lastHourMs = Date.UTC(digits(time, 0, 4), digits(time, 5, 2) - 1, digits(time, 8, 2), digits(time, 11, 2));
    lastHour = time.slice(0, 13);
  }
  return lastHourMs + digits(time, 14, 2) * 60_000 + digits(time, 17, 2) * 1_000;
}

/**
 * The weight of the n-th fraction digit in ms (100, 10, 1, 0.1...), each obtained from the previous by one division
 * by ten so the sum is bit-for-bit what dividing as we go would give; tabled because a division per digit is slow.
 */
const FRACTION_SCALES: number[] = [100];
function fractionScale(n: number): number {
  while (FRACTION_SCALES.length <= n) FRACTION_SCALES.push(FRACTION_SCALES[FRACTION_SCALES.length - 1]! / 10);
  return FRACTION_SCALES[n]!;
}

/** Milliseconds since the epoch (fraction of a millisecond kept), or NaN when the text is not a time. */
export function eventTimeMs(time: string): number {
  if (time.length >= 20 && time.charCodeAt(time.length - 1) === 90 /* Z */ && time.charCodeAt(10) === 84 /* T */) {
    const base = wholeSecondsMs(time);
    if (Number.isNaN(base)) return Date.parse(time);
    if (time.charCodeAt(19) !== 46 /* . */) return base;
    let fraction = 0;
    for (let i = 20; i < time.length - 1; i++) {
      const digit = time.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return Date.parse(time);
      fraction += digit * fractionScale(i - 20);
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
