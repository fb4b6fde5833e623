import { describe, expect, it } from 'vitest';
import {
  CanonicalJsonError,
  GENESIS_PREV_HASH,
  canonicalJson,
  entryLine,
  sealEntry,
  verifyActionChain,
  type ChainHead,
} from './action-chain.js';

function buildLog(records: object[]): string[] {
  let head: ChainHead = null;
  return records.map((record) => {
    const entry = sealEntry(head, record);
    head = { seq: entry.seq, hash: entry.hash };
    return entryLine(entry);
  });
}

const records = [
  { action: 'quarantine.soft', target: { namespace: 'agents', pod: 'a' }, time: '2026-01-01T00:00:00Z' },
  { action: 'quarantine.hard', target: { namespace: 'agents', pod: 'a' }, time: '2026-01-01T00:01:00Z' },
  { action: 'quarantine.release', target: { namespace: 'agents', pod: 'a' }, time: '2026-01-01T00:02:00Z' },
  { action: 'quarantine.soft', target: { namespace: 'mcp', pod: 'b' }, time: '2026-01-01T00:03:00Z' },
];

describe('canonicalJson', () => {
  it('sorts keys by code point and drops undefined, without whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, A: { z: 0, y: -3 } })).toBe('{"A":{"y":-3,"z":0},"a":[true,null,"x"],"b":1}');
    // U+E000 sorts before U+1F600 by code point, although its UTF-16 unit is larger than the surrogate 0xD83D.
    expect(canonicalJson({ '\u{1F600}': 1, '\uE000': 2 })).toBe('{"\uE000":2,"\u{1F600}":1}');
  });

  it('escapes exactly like jq -c: named escapes, \\u00xx for other controls and DEL, raw UTF-8 otherwise', () => {
    expect(canonicalJson('q"b\\\b\t\n\f\r\u0001\u007f/é')).toBe('"q\\"b\\\\\\b\\t\\n\\f\\r\\u0001\\u007f/é"');
  });

  it('rejects values tools print differently, naming where they are', () => {
    expect(() => canonicalJson({ a: { b: 1.5 } })).toThrow(/\$\.a\.b: 1.5 is not an integer/);
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ s: '\uD800x' })).toThrow(/lone UTF-16 surrogate/);
  });
});

describe('sealEntry', () => {
  it('chains each entry to the one before, starting from 64 zeros', () => {
    const first = sealEntry(null, records[0]!);
    const second = sealEntry(first, records[1]!);
    expect(first.seq).toBe(0);
    expect(first.prevHash).toBe(GENESIS_PREV_HASH);
    expect(second.seq).toBe(1);
    expect(second.prevHash).toBe(first.hash);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a record that already uses a chain field', () => {
    expect(() => sealEntry(null, { hash: 'x' })).toThrow(/'hash' field/);
  });
});

describe('verifyActionChain', () => {
  it('accepts an intact log and reports its head', () => {
    const lines = buildLog(records);
    const verdict = verifyActionChain(lines.join(''));
    expect(verdict.intact).toBe(true);
    if (verdict.intact) {
      expect(verdict.entries).toBe(4);
      expect(verdict.head?.seq).toBe(3);
    }
    expect(verifyActionChain('').intact).toBe(true);
  });

  it('names an edited entry', () => {
    const lines = buildLog(records);
    lines[2] = lines[2]!.replace('"pod":"a"', '"pod":"z"');
    const verdict = verifyActionChain(lines.join(''));
    expect(verdict).toMatchObject({ intact: false, verifiedEntries: 2, firstBreak: { line: 3, seq: 2, problem: 'altered' } });
  });

  it('names an edited entry whose hash was recomputed, through the next entry', () => {
    const lines = buildLog(records);
    const edited = JSON.parse(lines[1]!) as Record<string, unknown> & { target: { pod: string } };
    edited.target.pod = 'someone-else';
    const { hash: _hash, seq: _seq, prevHash, ...record } = edited;
    const resealed = sealEntry({ seq: 0, hash: prevHash as string }, record);
    lines[1] = entryLine(resealed);
    const verdict = verifyActionChain(lines.join(''));
    expect(verdict).toMatchObject({ intact: false, firstBreak: { line: 2, seq: 1, problem: 'altered' } });
  });

  it('names a deleted entry', () => {
    const lines = buildLog(records);
    lines.splice(1, 1);
    const verdict = verifyActionChain(lines.join(''));
    expect(verdict).toMatchObject({ intact: false, firstBreak: { line: 2, seq: 1, problem: 'removed' } });
    if (!verdict.intact) expect(verdict.firstBreak.message).toContain('entry 1 was removed');
  });

  it('names swapped entries', () => {
    const lines = buildLog(records);
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    const verdict = verifyActionChain(lines.join(''));
    expect(verdict).toMatchObject({ intact: false, firstBreak: { line: 2, seq: 1, problem: 'reordered' } });
  });

  it('names a removed first entry and a malformed line', () => {
    const lines = buildLog(records);
    expect(verifyActionChain(lines.slice(1).join(''))).toMatchObject({ intact: false, firstBreak: { line: 1, problem: 'removed' } });
    lines[3] = '{"seq": 3, oops\n';
    expect(verifyActionChain(lines.join(''))).toMatchObject({ intact: false, firstBreak: { line: 4, problem: 'malformed' } });
  });

  it('catches entries cut from the end only when the expected head is known', () => {
    const lines = buildLog(records);
    const full = verifyActionChain(lines.join(''));
    if (!full.intact) throw new Error('setup: full log should verify');
    const cut = lines.slice(0, 2).join('');
    expect(verifyActionChain(cut).intact).toBe(true);
    const verdict = verifyActionChain(cut, { expectedHead: full.head });
    expect(verdict).toMatchObject({ intact: false, firstBreak: { problem: 'truncated', seq: 2 } });
    if (!verdict.intact) expect(verdict.firstBreak.message).toContain('entries 2–3 were removed from the end');
  });
});
