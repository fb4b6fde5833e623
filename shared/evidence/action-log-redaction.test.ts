import { describe, expect, it } from 'vitest';
import { syntheticActionLog } from '../../test/fixtures/bundles/synthetic-case.js';
import { verifyActionChain } from './action-chain.js';
import { ActionLogError, redactActionLog } from './action-log-redaction.js';
import type { RedactionCounts } from './redaction.js';

describe('action log redaction', () => {
  it('copies a log without secrets byte for byte', () => {
    const log = syntheticActionLog(false);
    const counts: RedactionCounts = {};
    const result = redactActionLog(log, counts);
    expect(result.text).toBe(log);
    expect(result.redactedEntries).toEqual([]);
    expect(result.originalHead).toBeUndefined();
    expect(counts).toEqual({});
  });

  it('redacts the entry holding a secret and re-seals the chain from it, keeping the original head', () => {
    const log = syntheticActionLog(true);
    const original = verifyActionChain(log);
    const counts: RedactionCounts = {};
    const result = redactActionLog(log, counts);
    expect(result.redactedEntries).toEqual([1]);
    expect(result.text).not.toContain('BEGIN PRIVATE KEY');
    expect(result.text.split('\n')[0]).toBe(log.split('\n')[0]);
    const verdict = verifyActionChain(result.text, { expectedHead: result.head });
    expect(verdict.intact).toBe(true);
    expect(original.intact && result.originalHead).toEqual(original.intact ? original.head : undefined);
    expect(result.head!.hash).not.toBe(result.originalHead!.hash);
    expect(counts['pem-private-key']).toBe(1);
  });

  it('refuses a log whose chain is already broken', () => {
    const lines = syntheticActionLog(false).trim().split('\n');
    expect(() => redactActionLog(`${lines[0]}\n${lines[2]}\n`, {})).toThrow(ActionLogError);
  });
});
