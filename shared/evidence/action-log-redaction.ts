// Redacting the hash-chained action log without hiding that it was redacted. A log without secrets is copied byte
// for byte, so its chain and head are the responder's originals. When an entry holds a secret, that entry is
// redacted and the chain is re-sealed from it onwards (seq unchanged, new hashes); the result says which entries
// changed and what the original head was, and case.json records both, so an auditor comparing the head with one
// recorded elsewhere sees why it differs.
import { entryLine, sealEntry, verifyActionChain, type ChainHead, type ChainLink } from './action-chain.js';
import { redactValue, type RedactionCounts } from './redaction.js';

export interface RedactedActionLog {
  text: string;
  head: ChainHead;
  entries: number;
  /** seq of every entry whose content was redacted; empty when the log was copied unchanged. */
  redactedEntries: number[];
  /** The head of the log before redaction, when it was re-sealed. */
  originalHead: ChainHead | undefined;
}

export class ActionLogError extends Error {
  override name = 'ActionLogError';
}

export function redactActionLog(text: string, counts: RedactionCounts): RedactedActionLog {
  const verdict = verifyActionChain(text);
  if (!verdict.intact) {
    throw new ActionLogError(`the case's action log is broken before export (${verdict.firstBreak.message}); no bundle was written`);
  }
  const lines = text.split('\n').filter((line) => line !== '');
  const redactedEntries: number[] = [];
  let head: ChainHead = null;
  let resealing = false;
  const out: string[] = [];
  for (const line of lines) {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const { seq, prevHash: _prev, hash: _hash, ...record } = entry;
    const local: RedactionCounts = {};
    const redacted = redactValue(record, local);
    const touched = Object.keys(local).length > 0;
    if (touched) {
      redactedEntries.push(seq as number);
      for (const [kind, count] of Object.entries(local)) counts[kind as keyof RedactionCounts] = (counts[kind as keyof RedactionCounts] ?? 0) + count;
    }
    resealing ||= touched;
    if (!resealing) {
      out.push(`${line}\n`);
      head = { seq: seq as number, hash: entry.hash as string };
      continue;
    }
    const sealed: ChainLink = sealEntry(head, redacted);
    out.push(entryLine(sealed));
    head = { seq: sealed.seq, hash: sealed.hash };
  }
  const result = out.join('');
  return {
    text: resealing ? result : text.endsWith('\n') || text === '' ? text : `${text}\n`,
    head,
    entries: lines.length,
    redactedEntries,
    originalHead: resealing ? (verdict.head ?? null) : undefined,
  };
}
