import { describe, expect, it } from 'vitest';
import type { WorkloadBaseline } from '../model/baseline.js';
import type { RuntimeEvent } from '../model/event.js';
import type { GeneratedPolicy, ReplayResult } from '../model/policy.js';
import { actionAllowed, workloadLadder, type EnforcementRecord } from './ladder.js';
import { collectViolations, unresolvedViolations } from './violations.js';
import { amendPlan, AmendmentError } from './plan-amendment.js';
import { promotionGate } from './promotion-gate.js';
import { coverage } from './coverage.js';

const workload = 'agents/research-agent';
const baseline = (state: 'learning' | 'ready'): WorkloadBaseline => ({
  workload, state, learningStartedAt: '2026-11-21T10:00:00Z', readyAt: '2026-11-21T10:30:00Z', eventCount: 500, pods: ['agents/research-agent-x'],
  executables: [], lineage: [], egress: [], egressAddresses: [], ingress: [], ingressPeers: [], dnsNames: [], files: [], credentialReaders: [],
  syscalls: [], http: [], models: [], tools: [], toolPaths: [], toolHosts: [], apiUse: [], apiObjects: [],
});
const rec = (time: string, action: EnforcementRecord['action'], actor = 'responder'): EnforcementRecord => ({ time, action, actor, workload });

const base = { node: 'lab-node-1', source: 'collector' as const, pod: { namespace: 'agents', name: 'research-agent-x', uid: 'u' }, containerId: 'c1', process: { pid: 5, ppid: 1, exe: '/usr/bin/python3', args: [] } };
const connect: RuntimeEvent = { ...base, id: 'e1', time: '2026-11-21T11:00:00Z', kind: 'net.connect', details: { protocol: 'tcp', family: 4, srcIp: '10.244.0.11', srcPort: 40000, dstIp: '10.244.0.32', dstPort: 6379 } };
const syscall: RuntimeEvent = { ...base, id: 'e2', time: '2026-11-21T11:00:01Z', kind: 'syscall.first', details: { syscall: 'io_uring_setup', nr: 425 } };
const apiCall: RuntimeEvent = { ...base, id: 'e3', time: '2026-11-21T11:00:02Z', kind: 'k8s.audit', source: 'k8s-audit', process: null, details: { user: 'system:serviceaccount:agents:research-agent', groups: [], verb: 'get', resource: 'configmaps', apiGroup: '', namespace: 'agents', name: 'release-flags' } };

describe('enforcement ladder', () => {
  it('climbs with the baseline and the responder\'s actions, recording when and by whom', () => {
    expect(workloadLadder(workload, undefined, []).step).toBe('observing');
    expect(workloadLadder(workload, baseline('learning'), []).step).toBe('observing');
    const ladder = workloadLadder(workload, baseline('ready'), [rec('2026-11-21T12:00:00Z', 'enforce.promote', 'auditor'), rec('2026-11-21T11:00:00Z', 'enforce.audit', 'alice')]);
    expect(ladder.step).toBe('enforced');
    expect(ladder.history.map((h) => [h.step, h.by])).toEqual([['observing', 'vigil'], ['baseline-ready', 'vigil'], ['audit', 'alice'], ['enforced', 'auditor']]);
  });

  it('reads forward in time when the audit began under an earlier baseline than the latest one', () => {
    // Audit at 09:00 and promote at 09:20; the baseline was learned again from 10:00 and ready at 10:30.
    const ladder = workloadLadder(workload, baseline('ready'), [rec('2026-11-21T09:00:00Z', 'enforce.audit', 'alice'), rec('2026-11-21T09:20:00Z', 'enforce.promote', 'auditor')]);
    expect(ladder.step).toBe('enforced');
    expect(ladder.history.map((h) => [h.step, h.at])).toEqual([['audit', '2026-11-21T09:00:00Z'], ['enforced', '2026-11-21T09:20:00Z']]);
    const times = ladder.history.map((h) => h.at);
    expect(times).toEqual([...times].sort());
    // A baseline still learning does not undo an audit in place.
    expect(workloadLadder(workload, baseline('learning'), [rec('2026-11-21T11:00:00Z', 'enforce.audit')]).step).toBe('audit');
    // Learning again while in audit leaves the workload in audit, and the history forward.
    const relearned = workloadLadder(workload, baseline('ready'), [rec('2026-11-21T09:00:00Z', 'enforce.audit'), rec('2026-11-21T11:00:00Z', 'enforce.stop-audit')]);
    expect(relearned.step).toBe('baseline-ready');
    expect(relearned.history.map((h) => h.step)).toEqual(['audit', 'baseline-ready']);
  });

  it('goes back down on rollback and refuses steps that do not fit', () => {
    const ladder = workloadLadder(workload, baseline('ready'), [rec('2026-11-21T11:00:00Z', 'enforce.audit'), rec('2026-11-21T12:00:00Z', 'enforce.promote'), rec('2026-11-21T13:00:00Z', 'enforce.rollback')]);
    expect(ladder.step).toBe('audit');
    expect(actionAllowed(ladder, 'enforce.promote').allowed).toBe(true);
    const fresh = workloadLadder(workload, baseline('ready'), []);
    expect(actionAllowed(fresh, 'enforce.promote')).toEqual({ allowed: false, reason: 'promote needs agents/research-agent at audit; it is at baseline-ready' });
  });
});

describe('audit violations', () => {
  const replay: ReplayResult = { policy: 'p', kind: 'networkpolicy', eventsConsidered: 10, blocked: [
    { eventId: 'e1', time: '2026-11-21T11:00:00Z', pod: 'agents/research-agent-x', what: 'egress tcp 10.244.0.32:6379', policy: 'agents/vigil-baseline' },
    { eventId: 'e9', time: '2026-11-21T11:05:00Z', pod: 'agents/research-agent-y', what: 'egress tcp 10.244.0.32:6379', policy: 'agents/vigil-baseline' },
  ] };
  const verdict: RuntimeEvent = { ...base, id: 'v1', time: '2026-11-21T10:59:00Z', kind: 'enforce.verdict', details: { mode: 'audit', action: 'would-drop', protocol: 'tcp', dstIp: '10.244.0.32', dstPort: 6379, count: 3 } };

  it('merges the replay and the node audit of the same refusal into one violation with its evidence', () => {
    const violations = collectViolations([{ kind: 'networkpolicy', result: replay }], [verdict]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ what: 'egress tcp 10.244.0.32:6379', count: 5, firstSeen: '2026-11-21T10:59:00Z', lastSeen: '2026-11-21T11:05:00Z', eventIds: ['e1', 'e9', 'v1'], pods: ['agents/research-agent-x', 'agents/research-agent-y'], sources: ['replay', 'node-audit'] });
    expect(collectViolations([{ kind: 'networkpolicy', result: replay }])[0]!.id).toBe(violations[0]!.id);
  });

  it('holds promotion until the window ran and every violation has a decision', () => {
    const violations = collectViolations([{ kind: 'networkpolicy', result: replay }]);
    const early = promotionGate({ auditStartedAt: '2026-11-21T11:00:00Z', now: '2026-11-21T11:03:00Z', windowMs: 5 * 60_000, violations, decisions: [] });
    expect(early.ready).toBe(false);
    expect(early.blockers.join(' ')).toMatch(/audit window runs until 2026-11-21T11:05:00.000Z \(2 min left\).*1 violation without a decision/);
    const decisions = [{ violationId: violations[0]!.id, decision: 'accepted' as const, by: 'alice', at: '2026-11-21T11:04:00Z', reason: 'new cache' }];
    expect(unresolvedViolations(violations, decisions)).toEqual([]);
    expect(promotionGate({ auditStartedAt: '2026-11-21T11:00:00Z', now: '2026-11-21T11:06:00Z', windowMs: 5 * 60_000, violations, decisions })).toMatchObject({ ready: true, blockers: [] });
  });
});

describe('accepting a violation into the plan', () => {
  const netPlan: GeneratedPolicy = { kind: 'networkpolicy', pod: 'agents/research-agent-x', workload, warnings: [], justification: [], objects: [
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'vigil-baseline-research-agent', namespace: 'agents' }, spec: { podSelector: { matchLabels: { app: 'research-agent' } }, policyTypes: ['Ingress', 'Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }] } },
  ] };

  it('adds exactly the refused destination to the NetworkPolicy, once', () => {
    const amended = amendPlan(netPlan, connect);
    const egress = (amended.objects[0]!.spec as { egress: unknown[] }).egress;
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.244.0.32/32' } }], ports: [{ protocol: 'TCP', port: 6379 }] });
    expect(amended.justification).toContainEqual({ rule: 'egress to 10.244.0.32/32 on TCP/6379 (accepted in audit)', eventIds: ['e1'] });
    expect(amendPlan(amended, connect)).toEqual(amended);
    expect((netPlan.objects[0]!.spec as { egress: unknown[] }).egress).toHaveLength(1);
  });

  it('opens exactly the refused ingress port to its peer (a new listener), once', () => {
    const withIngress: GeneratedPolicy = { ...netPlan, objects: [{ ...netPlan.objects[0]!, spec: { ...(netPlan.objects[0]!.spec as object), ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.1/32' } }], ports: [{ protocol: 'TCP', port: 8080 }] }] } }] };
    const scrape: RuntimeEvent = { ...base, id: 'e4', time: '2026-11-21T11:00:03Z', kind: 'net.accept', details: { protocol: 'tcp', family: 4, srcIp: '10.244.0.11', srcPort: 9090, dstIp: '10.244.0.1', dstPort: 51000 } };
    const amended = amendPlan(withIngress, scrape);
    const ingress = (amended.objects[0]!.spec as { ingress: unknown[] }).ingress;
    expect(ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.244.0.1/32' } }], ports: [{ protocol: 'TCP', port: 8080 }] },
      { from: [{ ipBlock: { cidr: '10.244.0.1/32' } }], ports: [{ protocol: 'TCP', port: 9090 }] },
    ]);
    expect(amended.justification).toContainEqual({ rule: 'ingress from 10.244.0.1/32 on TCP/9090 (accepted in audit)', eventIds: ['e4'] });
    expect(amendPlan(amended, scrape)).toEqual(amended);
  });

  it('names the pods behind a Service when the refused destination was its ClusterIP', () => {
    const toService: RuntimeEvent = { ...connect, details: { ...connect.details, dstIp: '10.96.0.104', dstPort: 6379 } };
    const amended = amendPlan(netPlan, toService, (ip) => (ip === '10.96.0.104' ? { namespace: 'payments', selector: { app: 'payments-db' }, targetPort: 6379 } : undefined));
    expect((amended.objects[0]!.spec as { egress: unknown[] }).egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } }, podSelector: { matchLabels: { app: 'payments-db' } } }],
      ports: [{ protocol: 'TCP', port: 6379 }],
    });
  });

  it('adds the syscall to the seccomp profile and its SeccompProfile object', () => {
    const plan: GeneratedPolicy = { kind: 'seccomp', pod: 'p', workload, warnings: [], justification: [], seccomp: { defaultAction: 'SCMP_ACT_ERRNO', architectures: ['SCMP_ARCH_X86_64'], syscalls: [{ names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' }] },
      objects: [{ apiVersion: 'security-profiles-operator.x-k8s.io/v1beta1', kind: 'SeccompProfile', metadata: { name: 'x', namespace: 'agents' }, spec: {} }] };
    const amended = amendPlan(plan, syscall);
    expect(amended.seccomp!.syscalls[0]!.names).toEqual(['io_uring_setup', 'read', 'write']);
    expect((amended.objects[0]!.spec as { syscalls: { names: string[] }[] }).syscalls[0]!.names).toContain('io_uring_setup');
  });

  it('adds the verb to the namespace Role, creating Role and RoleBinding when the plan had none there', () => {
    const plan: GeneratedPolicy = { kind: 'rbac', pod: 'p', workload, warnings: [], justification: [], objects: [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'vigil-research-agent' }, rules: [] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'vigil-research-agent' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'vigil-research-agent' }, subjects: [{ kind: 'ServiceAccount', name: 'research-agent', namespace: 'agents' }] },
    ] };
    const amended = amendPlan(plan, apiCall);
    const role = amended.objects.find((o) => o.kind === 'Role');
    expect(role).toMatchObject({ metadata: { namespace: 'agents' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] });
    expect(amended.objects.find((o) => o.kind === 'RoleBinding')).toMatchObject({ roleRef: { kind: 'Role' }, subjects: [{ name: 'research-agent' }] });
  });

  it('refuses evidence of the wrong kind with a clear error', () => {
    expect(() => amendPlan(netPlan, syscall)).toThrow(AmendmentError);
    expect(() => amendPlan(netPlan, syscall)).toThrow(/not an outbound connection/);
  });
});

describe('coverage', () => {
  it('reports shares and blast radius with enforced workloads at their generated policies', () => {
    const ready = baseline('ready');
    const enforced = workloadLadder(workload, ready, [rec('2026-11-21T11:00:00Z', 'enforce.audit'), rec('2026-11-21T12:00:00Z', 'enforce.promote')]);
    const other = { ...workloadLadder('payments/payments-api', { ...ready, workload: 'payments/payments-api' }, []), workload: 'payments/payments-api' };
    const result = coverage([enforced, other], [
      { workload, isAiAgent: true, blastRadius: { before: 80, after: 4 } },
      { workload: 'payments/payments-api', isAiAgent: false, blastRadius: { before: 7, after: 2 } },
    ]);
    expect(result.workloads).toMatchObject({ total: 2, enforced: 1, share: 0.5 });
    expect(result.aiAgents).toMatchObject({ total: 1, enforced: 1, share: 1 });
    expect(result.blastRadius).toEqual({ before: 87, after: 11 });
    expect(result.summary).toBe('1 of 2 workloads (50%) enforced, 1 of 1 AI agents; blast radius 87 → 11');
  });
});
