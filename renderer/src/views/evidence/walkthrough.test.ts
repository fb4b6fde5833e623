import { describe, expect, it } from 'vitest';
import type { BundleReview } from '../../../../shared/api/contract.js';
import type { Signal } from '../../../../shared/model/signal.js';
import type { WorkloadPosture } from '../../../../shared/model/workload-posture.js';
import { blastRadiusAfter, containmentOf, formatDuration, timeToContain, timeToDetect } from './incident-figures.js';
import { buildWalkthrough, readAction } from './walkthrough-steps.js';

const story: BundleReview['stories'][number] = {
  id: 'story:1',
  title: 'Prompt injection, then exfiltration',
  severity: 'critical',
  score: 100,
  techniques: ['AML.T0051.001', 'T1552.001', 'T1567'],
  steps: [
    { time: '2026-11-20T11:00:02.300Z', summary: 'injection followed', eventIds: ['e1', 'e2'] },
    { time: '2026-11-20T11:00:05.000Z', summary: 'token read', eventIds: ['e3'] },
  ],
  narrative: 'n',
};

function action(seq: number, kind: string, time: string, outcome = 'applied', pod = 'agents/research-agent-1'): Record<string, unknown> {
  const [namespace, name] = pod.split('/');
  return {
    seq, time, action: kind, outcome, hash: 'a'.repeat(64), prevHash: '0'.repeat(64),
    actor: { username: 'responder' }, target: { namespace, pod: name, context: 'lab' },
    objects: [{ op: 'create', kind: 'NetworkPolicy', name: 'deny', namespace, purpose: 'deny all', status: 'applied' }],
    verification: { ok: true, problems: [] },
  };
}

function review(actions: Record<string, unknown>[]): BundleReview {
  return {
    name: 'b.vigil', sha256: 'f'.repeat(64), openedBy: 'serve', verified: true,
    verification: { signature: { status: 'valid', message: 'ok' }, filesChecked: 9, changed: [], missing: [], extra: [], actionLog: { status: 'intact' }, problems: [] },
    case: { caseId: 'c', title: 't', exportedAt: 'x', exportedBy: 'u@h', toolVersion: '0', clusters: [], eventCount: 3, omitted: [] },
    actions, inventory: [], stories: [story], policies: [], replays: [], notes: [],
  };
}

describe('the auditor walkthrough of a story', () => {
  it('steps through the brief, each story step, each responder action, the policy and the controls, in that order', () => {
    const steps = buildWalkthrough(review([action(1, 'quarantine.release', '2026-11-20T11:05:00Z'), action(0, 'quarantine.hard', '2026-11-20T11:01:30Z')]), story);
    expect(steps.map((s) => s.kind)).toEqual(['overview', 'event', 'event', 'action', 'action', 'policy', 'controls']);
    const actions = steps.filter((s) => s.kind === 'action').map((s) => (s.kind === 'action' ? s.action.action : ''));
    expect(actions).toEqual(['quarantine.hard', 'quarantine.release']);
    const policy = steps.find((s) => s.kind === 'policy');
    expect(policy?.kind === 'policy' && policy.applied.map((a) => a.action)).toEqual(['quarantine.hard']);
    const controls = steps.at(-1)!;
    expect(controls.kind === 'controls' && new Set(controls.controls.map((c) => c.framework))).toEqual(
      new Set(['CIS Kubernetes Benchmark', 'NSA/CISA Kubernetes Hardening Guide', 'SOC 2', 'PCI DSS v4.0', 'HIPAA Security Rule']),
    );
  });

  it('says so when the responder did nothing, and reads a damaged entry without failing', () => {
    expect(buildWalkthrough(review([]), story).map((s) => s.kind)).toContain('no-action');
    const damaged = readAction({ seq: 3 });
    expect(damaged).toMatchObject({ seq: 3, action: 'unknown', actor: 'unknown', objects: [], nodeStep: null, verified: null });
  });
});

describe('the incident figures', () => {
  const signal = (time: string, severity: Signal['severity']) => ({ time, severity }) as Signal;

  it('time to detect runs from the earliest cited event to the first high-severity signal', () => {
    const signals = [signal('2026-11-20T11:00:05.000Z', 'high'), signal('2026-11-20T11:00:02.300Z', 'medium')];
    expect(timeToDetect(story, signals, '2026-11-20T11:00:01.400Z')).toMatchObject({ ms: 3600, detectedAt: '2026-11-20T11:00:05.000Z' });
    expect(timeToDetect(story, [signal('2026-11-20T11:00:05.000Z', 'low')]).ms).toBeNull();
    expect(timeToDetect(story, null).reason).toMatch(/not available/);
  });

  it('time to contain runs from the first evidence to the first applied quarantine', () => {
    const actions = [action(0, 'quarantine.soft', '2026-11-20T11:01:00Z', 'dry-run'), action(1, 'quarantine.hard', '2026-11-20T11:01:30Z')].map(readAction);
    expect(timeToContain(story, actions, '2026-11-20T11:00:00.000Z').timeToContainMs).toBe(90_000);
    expect(formatDuration(90_000)).toBe('90 s');
  });

  it('blast radius after containment follows what was applied, and a release undoes it', () => {
    const posture = {
      network: { usedDestinations: ['a', 'b'] },
      blastRadius: {
        current: { reachableServices: 8, internetReachable: true, readableSecrets: 6, identities: 1 },
        withGeneratedPolicies: { reachableServices: 2, internetReachable: false, readableSecrets: 0, identities: 1 },
      },
    } as unknown as WorkloadPosture;
    const pods = ['agents/research-agent-1'];
    const hard = [action(0, 'quarantine.hard', 't1')].map(readAction);
    expect(containmentOf(hard, pods)).toBe('quarantine.hard');
    expect(blastRadiusAfter(posture, 'quarantine.hard')).toEqual({ reachableServices: 0, internetReachable: false, readableSecrets: 0, identities: 1 });
    expect(blastRadiusAfter(posture, 'quarantine.soft')).toEqual({ reachableServices: 2, internetReachable: false, readableSecrets: 6, identities: 1 });
    expect(blastRadiusAfter(posture, 'enforce.promote')).toEqual(posture.blastRadius.withGeneratedPolicies);
    expect(containmentOf([...hard, ...[action(1, 'quarantine.release', 't2')].map(readAction)], pods)).toBeNull();
    expect(containmentOf(hard, ['other/pod'])).toBeNull();
  });
});
