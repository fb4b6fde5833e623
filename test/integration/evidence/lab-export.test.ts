// The issue's end-to-end case: in the real lab, an attack scenario runs (the research agent's container-escape
// attempt through its run_shell tool), the responder hard-quarantines the pod, and `vigil evidence export --lab`
// produces a bundle that verifies, holds the quarantine in its action log, the attack in its events and stories,
// and no secret.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecrets } from '../../../shared/evidence/redaction.js';
import { readAllEntries } from '../../fixtures/bundles/bundle-surgery.js';
import type { LabState } from '../../lab/lab-state.js';
import { ensureLab, labSkipReason } from '../lab-fixture.js';
import { vigil } from './run-tools.js';

const skip = labSkipReason();
const POD = 'agents/research-agent-7c9f6d5b8-x2k4p';

describe.skipIf(skip !== null)(`evidence export from the lab after an attack and a quarantine${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: LabState;
  let work: string;
  let env: Record<string, string>;
  let quarantined = false;

  beforeAll(async () => {
    lab = await ensureLab();
    work = await mkdtemp(path.join(os.tmpdir(), 'vigil-lab-evidence-'));
    env = { XDG_CONFIG_HOME: path.join(work, 'config') };
    const scenario = vigil(['scenario', 'run', 'agent-escape-attempt', '--json'], env);
    expect(scenario.code, scenario.stderr).toBe(0);
    const quarantine = vigil(['quarantine', 'hard', POD, '--lab', '--as', 'admin', '--json'], env);
    expect(quarantine.code, quarantine.stderr + quarantine.stdout).toBe(0);
    quarantined = true;
  });

  afterAll(async () => {
    if (quarantined) vigil(['quarantine', 'release', POD, '--lab', '--as', 'admin', '--json'], env);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('exports a bundle that verifies and holds the attack, the quarantine and no secret', async () => {
    const bundle = path.join(work, 'lab.vigil');
    const exported = vigil(['evidence', 'export', '--lab', '--out', bundle, '--json'], env);
    expect(exported.code, exported.stderr).toBe(0);
    const verified = vigil(['evidence', 'verify', bundle, '--json'], env);
    const report = JSON.parse(verified.stdout);
    expect(report.problems).toEqual([]);
    expect(verified.code).toBe(0);
    expect(report.actionLog.status).toBe('intact');

    const entries = await readAllEntries(bundle);
    const actions = entries.get('actions.jsonl')!.toString().trim().split('\n').map((line) => JSON.parse(line));
    expect(actions.some((a) => a.action === 'quarantine.hard' && `${a.target.namespace}/${a.target.pod}` === POD)).toBe(true);
    const events = entries.get('events/events.ndjson')!.toString().trim().split('\n').map((line) => JSON.parse(line));
    expect(events.some((e) => e.kind === 'k8s.audit')).toBe(true);
    if (lab.collector) {
      expect(events.some((e) => e.kind === 'process.exec' && e.pod?.name === POD.split('/')[1] && /nsenter|unshare/.test(e.details.filename))).toBe(true);
      expect((JSON.parse(entries.get('stories.json')!.toString()) as unknown[]).length).toBeGreaterThan(0);
    }
    expect(entries.has('inventory/vigil-lab-responder.json')).toBe(true);
    for (const [name, data] of entries) expect(findSecrets(data.toString('utf8')), name).toEqual([]);
  });
});
