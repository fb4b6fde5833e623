// The action log's format: append-only JSON lines, each entry hash-chained to the one before, and its verifier.
// Pure (no Node or DOM API) so that the app, the CLI and the evidence verifier all check a log the same way.
//
// AN ENTRY is one JSON object per line with three chain fields next to the action record:
//   seq       0 for the first entry, then +1 per entry;
//   prevHash  the `hash` of the entry before it; 64 zeros ("0" x 64) for entry 0;
//   hash      lowercase hex SHA-256 of the canonical JSON (rule below) of the entry WITHOUT its `hash` field
//             (so prevHash and seq are covered by it).
//
// CANONICAL JSON (identical to `jq -cSj` output of jq 1.6+ for every value this module accepts):
//   - objects: keys sorted by Unicode code point (= UTF-8 byte order), written `{"k":v,...}`, no spaces;
//     a key whose value is `undefined` is left out (JSON has no undefined);
//   - arrays: elements in order, `[a,b]`, no spaces;
//   - strings: `"` and `\` escaped as `\"` and `\\`; U+0008 `\b`, U+0009 `\t`, U+000A `\n`, U+000C `\f`,
//     U+000D `\r`; every other code point below U+0020, and U+007F, as `\u00xx` with lowercase hex; everything else
//     as raw UTF-8 (no `\u` escapes for non-ASCII, `/` not escaped). Lone UTF-16 surrogates are rejected;
//   - numbers: integers only, within ±(2^53−1), in plain decimal (`-12`, `0`). Fractions, NaN and infinities are
//     rejected, because JSON tools disagree on how to print them;
//   - true, false, null as themselves.
//   The bytes hashed are the UTF-8 encoding of that text, with no trailing newline.
//
// RE-CHECKING A LOG WITHOUT VIGIL (bash, jq, sha256sum): for each line, in order,
//   jq -cSj 'del(.hash)' <<<"$line" | sha256sum      must equal   jq -r .hash <<<"$line"
//   jq -r .prevHash <<<"$line"                          must equal   the previous line's .hash (64 zeros on line 1)
//   jq -r .seq <<<"$line"                               must equal   the line number minus one
// A log cut short at its end still verifies; to detect that, compare the last hash with one recorded elsewhere
// (the evidence manifest, a ticket) — `verifyActionChain` takes it as `expectedHead`.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export const GENESIS_PREV_HASH = '0'.repeat(64);

export class CanonicalJsonError extends Error {
  override name = 'CanonicalJsonError';
}

const NAMED_ESCAPES: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };

function canonicalString(text: string, path: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) throw new CanonicalJsonError(`${path}: string holds a lone UTF-16 surrogate`);
      out += text[i]! + text[i + 1]!;
      i++;
      continue;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) throw new CanonicalJsonError(`${path}: string holds a lone UTF-16 surrogate`);
    const named = NAMED_ESCAPES[unit];
    if (named !== undefined) out += named;
    else if (unit < 0x20 || unit === 0x7f) out += `\\u${unit.toString(16).padStart(4, '0')}`;
    else out += text[i]!;
  }
  return `${out}"`;
}

/** Code point order (equal to UTF-8 byte order), which is what jq's `-S` uses; JS's default sort is UTF-16 order. */
export function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const diff = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

function canonicalValue(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw new CanonicalJsonError(`${path}: ${value} is not an integer within ±(2^53-1)`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'string':
      return canonicalString(value, path);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item, i) => canonicalValue(item, `${path}[${i}]`)).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort(compareCodePoints);
      return `{${keys.map((key) => `${canonicalString(key, path)}:${canonicalValue(record[key], `${path}.${key}`)}`).join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`${path}: a ${typeof value} cannot be written as JSON`);
  }
}

/** The canonical text of a JSON value (see the rule above). Throws CanonicalJsonError naming the offending path. */
export function canonicalJson(value: unknown): string {
  return canonicalValue(value, '$');
}

/** Lowercase hex SHA-256 of the canonical JSON of `value`. */
export function sha256OfCanonical(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(value))));
}

/** The chain fields every entry carries next to its record. */
export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
}
export type ChainedEntry<R extends object> = R & ChainLink;

/** Where the next entry attaches: the last entry's seq and hash, or null for an empty log. */
export type ChainHead = Pick<ChainLink, 'seq' | 'hash'> | null;

/** The hash an entry must carry: over every field but `hash` itself. */
export function entryHash(entry: object): string {
  const { hash: _ignored, ...rest } = entry as Record<string, unknown>;
  return sha256OfCanonical(rest);
}

/**
 * Seals `record` as the entry after `head`. The record must not use the chain field names, and must be canonical
 * JSON material (integers only, no lone surrogates): anything else throws before the log is touched.
 */
export function sealEntry<R extends object>(head: ChainHead, record: R): ChainedEntry<R> {
  for (const field of ['seq', 'prevHash', 'hash']) {
    if (field in record) throw new CanonicalJsonError(`the record already has a '${field}' field, which the chain owns`);
  }
  const unsealed = { ...record, seq: head ? head.seq + 1 : 0, prevHash: head ? head.hash : GENESIS_PREV_HASH };
  return { ...unsealed, hash: entryHash(unsealed) } as ChainedEntry<R>;
}

/** One line of the log, ready to append (with its newline). */
export function entryLine(entry: ChainLink): string {
  return `${JSON.stringify(entry)}\n`;
}

export type ChainProblem = 'malformed' | 'altered' | 'removed' | 'reordered' | 'truncated';

export interface ChainBreak {
  /** 1-based line number in the file. */
  line: number;
  /** The entry named: the seq it should have had at that point in the chain. */
  seq: number;
  problem: ChainProblem;
  message: string;
}

export type ChainVerdict =
  | { intact: true; entries: number; head: ChainHead }
  | { intact: false; entries: number; verifiedEntries: number; firstBreak: ChainBreak };

interface ParsedLine {
  line: number;
  entry: Record<string, unknown> | undefined;
  error?: string;
}

function parseLines(text: string): ParsedLine[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((raw, index) => {
    const line = index + 1;
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { line, entry: undefined, error: 'is not a JSON object' };
      return { line, entry: value as Record<string, unknown> };
    } catch (error) {
      return { line, entry: undefined, error: `is not valid JSON (${(error as Error).message})` };
    }
  });
}

function chainFieldProblem(entry: Record<string, unknown>): string | undefined {
  if (!Number.isSafeInteger(entry.seq) || (entry.seq as number) < 0) return 'has no valid "seq"';
  if (typeof entry.prevHash !== 'string' || !/^[0-9a-f]{64}$/.test(entry.prevHash)) return 'has no valid "prevHash"';
  if (typeof entry.hash !== 'string' || !/^[0-9a-f]{64}$/.test(entry.hash)) return 'has no valid "hash"';
  return undefined;
}

function recomputedHash(entry: Record<string, unknown>): string | Error {
  try {
    return entryHash(entry);
  } catch (error) {
    return error as Error;
  }
}

/**
 * Checks a whole log (the file's text) and names the first entry that was altered, removed or reordered.
 * `expectedHead`, when known from elsewhere, also catches entries removed from the end.
 */
export function verifyActionChain(text: string, options: { expectedHead?: ChainHead } = {}): ChainVerdict {
  const parsed = parseLines(text);
  const broken = (verifiedEntries: number, firstBreak: ChainBreak): ChainVerdict => ({ intact: false, entries: parsed.length, verifiedEntries, firstBreak });
  let head: ChainHead = null;
  for (let index = 0; index < parsed.length; index++) {
    const { line, entry, error } = parsed[index]!;
    const expectedSeq = index;
    if (!entry) return broken(index, { line, seq: expectedSeq, problem: 'malformed', message: `line ${line} ${error}` });
    const fieldProblem = chainFieldProblem(entry);
    if (fieldProblem) return broken(index, { line, seq: expectedSeq, problem: 'malformed', message: `line ${line} ${fieldProblem}` });
    const seq = entry.seq as number;
    const hash = recomputedHash(entry);
    if (hash instanceof Error) return broken(index, { line, seq, problem: 'malformed', message: `entry ${seq} (line ${line}) cannot be hashed: ${hash.message}` });
    if (hash !== entry.hash) {
      return broken(index, { line, seq, problem: 'altered', message: `entry ${seq} (line ${line}) was altered: its content no longer matches its hash` });
    }
    if (seq !== expectedSeq) {
      const laterHasExpected = parsed.slice(index + 1).some((p) => p.entry?.seq === expectedSeq);
      if (seq > expectedSeq && !laterHasExpected) {
        const missing = seq - expectedSeq === 1 ? `entry ${expectedSeq} was removed` : `entries ${expectedSeq}–${seq - 1} were removed`;
        return broken(index, { line, seq: expectedSeq, problem: 'removed', message: `${missing}: line ${line} holds entry ${seq}` });
      }
      return broken(index, { line, seq: expectedSeq, problem: 'reordered', message: `entries were reordered: line ${line} should hold entry ${expectedSeq} but holds entry ${seq}` });
    }
    const wantedPrev = head ? head.hash : GENESIS_PREV_HASH;
    if (entry.prevHash !== wantedPrev) {
      const blamed = head ? head.seq : seq;
      const message = head
        ? `entry ${head.seq} (line ${line - 1}) was altered: entry ${seq} recorded a different hash for it (its hash was recomputed after an edit)`
        : `entry 0 (line ${line}) does not start a chain: its prevHash is not 64 zeros (entries before it were removed)`;
      return broken(Math.max(0, index - 1), { line: head ? line - 1 : line, seq: blamed, problem: head ? 'altered' : 'removed', message });
    }
    head = { seq, hash };
  }
  const expected = options.expectedHead;
  if (expected !== undefined && (expected?.seq !== head?.seq || expected?.hash !== head?.hash)) {
    const present = expected && head && expected.seq > head.seq;
    const seq = head ? head.seq + 1 : 0;
    const message = present || (expected && !head)
      ? `entries ${seq}–${expected!.seq} were removed from the end of the log`
      : `the log's last entry does not match the expected head (entry ${expected?.seq ?? 'none'}, ${expected?.hash ?? 'empty log'})`;
    return broken(parsed.length, { line: parsed.length + 1, seq, problem: 'truncated', message });
  }
  return { intact: true, entries: parsed.length, head };
}
