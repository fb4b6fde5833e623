import { describe, expect, it } from 'vitest';
import type { ActionLogEntry, ObjectChange } from '../../../shared/model/action.js';
import { quarantineToRelease } from './quarantine-executor.js';

const change = (status: ObjectChange['status']): ObjectChange => ({ op: 'create', apiVersion: 'v1', kind: 'NetworkPolicy', name: 'p', purpose: 'p', before: null, after: null, status });

function entry(seq: number, action: ActionLogEntry['action'], outcome: ActionLogEntry['outcome'], objects: ObjectChange[], extra: Partial<ActionLogEntry> = {}): ActionLogEntry {
  return {
    seq, prevHash: '0'.repeat(64), hash: '0'.repeat(64), time: 't', actor: { username: 'u', source: 'kubeconfig' }, action,
    target: { clusterId: `ctx-${seq}`, context: 'c', server: 'https://s', namespace: 'agents', pod: 'p' },
    parameters: {}, dryRun: { ok: true, objects: [] }, outcome, objects, verification: { ok: true, problems: [] }, warnings: [], ...extra,
  };
}

describe('which quarantine a release undoes', () => {
  it('the latest unreleased one that changed something, on the same server, whatever context recorded it', () => {
    const log = [
      entry(0, 'quarantine.soft', 'applied', [change('applied')]),
      entry(1, 'quarantine.hard', 'applied', [change('applied')]),
      entry(2, 'quarantine.hard', 'unchanged', [change('unchanged')]),
      entry(3, 'quarantine.hard', 'rejected', [change('not-attempted')]),
    ];
    expect(quarantineToRelease(log, 'https://s', { namespace: 'agents', pod: 'p' })?.seq).toBe(1);
    const afterRelease = [...log, entry(4, 'quarantine.release', 'applied', [], { releases: 1 })];
    expect(quarantineToRelease(afterRelease, 'https://s', { namespace: 'agents', pod: 'p' })?.seq).toBe(0);
    expect(quarantineToRelease(afterRelease, 'https://other', { namespace: 'agents', pod: 'p' })).toBeUndefined();
  });

  it('a partial quarantine whose rollback failed is still there to release', () => {
    const log = [entry(0, 'quarantine.hard', 'partial', [change('rollback-failed'), change('failed')])];
    expect(quarantineToRelease(log, 'https://s', { namespace: 'agents', pod: 'p' })?.seq).toBe(0);
  });
});
