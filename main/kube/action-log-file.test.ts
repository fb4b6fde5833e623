import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../shared/model/action.js';
import { ActionLogFile } from './action-log-file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-action-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function record(pod: string): ActionRecord {
  return {
    time: '2026-11-22T00:00:00.000Z',
    actor: { username: 'responder', groups: ['vigil-lab:responders'], source: 'self-subject-review' },
    action: 'quarantine.soft',
    target: { clusterId: 'c', context: 'ctx', server: 'https://127.0.0.1:6443', namespace: 'agents', pod },
    parameters: { egress: [] },
    dryRun: { ok: true, objects: [] },
    outcome: 'applied',
    objects: [
      { op: 'create', apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: 'agents', name: `np-${pod}`, purpose: 'p', before: null, after: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np-${pod}`, annotations: { note: 'tab\there, "quoted", é, \u007f' } } }, status: 'applied' },
    ],
    verification: { ok: true, problems: [] },
    warnings: [],
  };
}

const jq = spawnSync('jq', ['--version']).status === 0;

describe('ActionLogFile', () => {
  const file = path.join(dir, 'nested', 'actions.jsonl');
  const log = new ActionLogFile(file);

  it('appends chained entries that read back validated', async () => {
    await log.append(record('a'));
    await Promise.all([log.append(record('b')), log.append(record('c'))]);
    const entries = log.entries();
    expect(entries.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(log.verify().intact).toBe(true);
  });

  it.skipIf(!jq)(`hashes exactly what jq -cSj | sha256sum computes, as the format comment promises${jq ? '' : ' (skipped: jq not installed)'}`, () => {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    let previous = '0'.repeat(64);
    for (const line of lines) {
      const canonical = spawnSync('jq', ['-cSj', 'del(.hash)'], { input: line });
      const digest = spawnSync('sha256sum', [], { input: canonical.stdout }).stdout.toString().split(' ')[0];
      const entry = JSON.parse(line) as { hash: string; prevHash: string };
      expect(digest).toBe(entry.hash);
      expect(entry.prevHash).toBe(previous);
      previous = entry.hash;
    }
  });

  it('refuses to extend a broken log and says so', async () => {
    const text = readFileSync(file, 'utf8').replace('np-b', 'np-z');
    const broken = path.join(dir, 'broken.jsonl');
    writeFileSync(broken, text);
    const before = readFileSync(broken, 'utf8');
    await expect(new ActionLogFile(broken).append(record('d'))).rejects.toThrow(/entry 1 \(line 2\) was altered.*refusing to append/);
    expect(readFileSync(broken, 'utf8')).toBe(before);
    expect(() => new ActionLogFile(broken).entries()).toThrow(/is broken/);
  });
});
