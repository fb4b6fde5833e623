// Generated policies and audit replay over the lab-shaped fixtures: replay over the baseline blocks nothing, replay
// over an attack blocks the attack's connections, syscalls and API calls; seccomp holds every syscall used.
import { describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../model/event.js';
import { Engine } from './engine.js';
import { agentEscapeAttempt, baselineTraffic, cryptominer, indirectPromptInjectionExfil } from '../../test/fixtures/events/lab-scenarios.js';
import { labInventory } from '../../test/fixtures/events/inventory-fixture.js';
import { ReplayInputError } from './policy-replay.js';
import { InventoryIndex } from './inventory-index.js';
import { blastRadiusUnderPlan } from './posture.js';

const RESEARCH_POD = 'agents/research-agent-7c9f6d5b8-x2k4p';
const SUPPORT_POD = 'agents/support-agent-5d8b7c6f4-q9w2e';
const PAYMENTS_POD = 'payments/payments-api-6f7d8c9b5-m3n4b';
const baseline = baselineTraffic();

function engineOver(events: readonly RuntimeEvent[]): Engine {
  const engine = new Engine();
  engine.setInventory(labInventory());
  engine.ingest(events);
  engine.flush();
  return engine;
}

const learned = engineOver(baseline);

describe('NetworkPolicy generation and replay', () => {
  for (const pod of [RESEARCH_POD, SUPPORT_POD, PAYMENTS_POD, 'mcp/mcp-files-0', 'payments/payments-db-0']) {
    it(`replaying ${pod}'s policy over the baseline blocks nothing`, () => {
      const policy = learned.generatePolicy(pod, 'networkpolicy');
      const result = learned.replayPolicy(policy.objects);
      expect(result.eventsConsidered).toBeGreaterThan(0);
      expect(result.blocked).toEqual([]);
    });
  }

  it('has DNS, selectors for in-cluster peers and ipBlocks for external ones', () => {
    const policy = learned.generatePolicy(SUPPORT_POD, 'networkpolicy');
    const spec = policy.objects[0]!.spec as { podSelector: unknown; egress: { to?: unknown[]; ports: unknown[] }[]; ingress: unknown[] };
    expect(spec.podSelector).toEqual({ matchLabels: { app: 'support-agent', team: 'support' } });
    expect(spec.egress[0]).toEqual({ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] });
    expect(spec.egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mcp' } }, podSelector: { matchLabels: { app: 'mcp-files' } } }], ports: [{ protocol: 'TCP', port: 3001 }] });
    expect(spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '203.0.113.10/32' } }], ports: [{ protocol: 'TCP', port: 443 }] });
    expect(spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '10.244.0.1/32' } }], ports: [{ protocol: 'TCP', port: 8080 }] });
    for (const rule of policy.justification.slice(1)) expect(rule.eventIds.length).toBeGreaterThan(0);
  });

  it('replayed over the injection attack, blocks the Kubernetes API and exfiltration connections and nothing else', () => {
    const policy = learned.generatePolicy(RESEARCH_POD, 'networkpolicy');
    const attack = engineOver([...baseline, ...indirectPromptInjectionExfil()]);
    const blocked = attack.replayPolicy(policy.objects).blocked.map((b) => b.what);
    expect(blocked).toEqual([
      'egress tcp kubernetes.default.svc.cluster.local (10.96.0.1):443',
      'egress tcp collect.exfil.example (203.0.113.66):443',
    ]);
  });

  it('replayed over the cryptominer, blocks the download and the mining pool', () => {
    const policy = learned.generatePolicy(PAYMENTS_POD, 'networkpolicy');
    const attack = engineOver([...baseline, ...cryptominer()]);
    expect(attack.replayPolicy(policy.objects).blocked.map((b) => b.what)).toEqual([
      'egress tcp downloads.example (203.0.113.70):80',
      'egress tcp pool.mining.example (203.0.113.77):3333',
    ]);
  });
});

describe('seccomp generation and replay', () => {
  it('contains every syscall the workload used and parses as JSON', () => {
    const policy = learned.generatePolicy(RESEARCH_POD, 'seccomp');
    const parsed = JSON.parse(JSON.stringify(policy.seccomp)) as { syscalls: { names: string[] }[]; defaultAction: string };
    const used = learned.snapshot().baselines.find((b) => b.workload === 'agents/research-agent')!.syscalls;
    expect(used.length).toBeGreaterThan(30);
    for (const syscall of used) expect(parsed.syscalls[0]!.names).toContain(syscall);
    expect(parsed.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(policy.objects[0]).toMatchObject({ apiVersion: 'security-profiles-operator.x-k8s.io/v1beta1', kind: 'SeccompProfile' });
  });

  it('replay blocks nothing over the baseline and the escape syscalls over the attack', () => {
    const policy = learned.generatePolicy(RESEARCH_POD, 'seccomp');
    expect(learned.replayPolicy(policy.objects).blocked).toEqual([]);
    const attack = engineOver([...baseline, ...agentEscapeAttempt()]);
    expect(attack.replayPolicy(policy.objects).blocked.map((b) => b.what.split(' ')[1])).toEqual(['unshare', 'mount', 'setns', 'ptrace']);
    expect(attack.replayPolicy([policy.seccomp], RESEARCH_POD).blocked).toHaveLength(4);
  });
});

describe('RBAC generation and replay', () => {
  it('grants exactly the observed use, by name', () => {
    const policy = learned.generatePolicy(SUPPORT_POD, 'rbac');
    expect(policy.objects.map((o) => o.kind)).toEqual(['Role', 'RoleBinding']);
    expect((policy.objects[0] as unknown as { rules: unknown[] }).rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['support-agent-config'] }]);
    expect(learned.replayPolicy(policy.objects).blocked).toEqual([]);
  });

  it('research-agent made no API calls: no grants, and replay over the attack blocks the secrets listing', () => {
    const none = learned.generatePolicy(RESEARCH_POD, 'rbac');
    expect(none.objects).toEqual([]);
    expect(none.warnings[0]).toMatch(/no Kubernetes API calls/);
    const attack = engineOver([...baseline, ...indirectPromptInjectionExfil()]);
    const role = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'agents' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'r', namespace: 'agents' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'research-agent', namespace: 'agents' }] },
    ];
    expect(attack.replayPolicy(role).blocked.map((b) => b.what)).toEqual(['system:serviceaccount:agents:research-agent list secrets cluster-wide']);
  });

  it('explains a policy file it cannot judge', () => {
    expect(() => learned.replayPolicy([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }])).toThrow(ReplayInputError);
    expect(() => learned.replayPolicy([{ defaultAction: 'SCMP_ACT_ERRNO', architectures: [], syscalls: [] }])).toThrow(/which workload/);
  });
});

describe('posture and blast radius', () => {
  it('shows research-agent over-granted (aggregated ClusterRole) and shrinks its blast radius with generated policies', () => {
    const [posture] = learned.posture('agents/research-agent');
    expect(posture!.rbac.granted).toContain('list secrets (core) cluster-wide');
    expect(posture!.rbac.used).toEqual([]);
    expect(posture!.blastRadius.current).toEqual({ reachableServices: 8, internetReachable: true, readableSecrets: 6, identities: 1 });
    expect(posture!.blastRadius.withGeneratedPolicies).toEqual({ reachableServices: 1, internetReachable: false, readableSecrets: 0, identities: 1 });
  });

  it('a widened plan widens the blast radius it is shown with', () => {
    const inventory = new InventoryIndex(labInventory());
    const pod = inventory.pod(RESEARCH_POD)!;
    const plan = learned.generatePolicy(RESEARCH_POD, 'networkpolicy').objects;
    const [posture] = learned.posture('agents/research-agent');
    expect(blastRadiusUnderPlan(inventory, pod, plan, [])).toEqual({ ...posture!.blastRadius.withGeneratedPolicies, readableSecrets: 0 });
    // An accepted violation: egress to every pod of the payments namespace on 8080.
    const widened = plan.map((o) => {
      const spec = o.spec as { egress: unknown[] };
      return { ...o, spec: { ...spec, egress: [...spec.egress, { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }] } };
    });
    expect(blastRadiusUnderPlan(inventory, pod, widened, []).reachableServices).toBeGreaterThan(posture!.blastRadius.withGeneratedPolicies.reachableServices);
  });

  it('payments-api: ingress already restricted, egress open until the generated policy', () => {
    const [posture] = learned.posture('payments/payments-api');
    expect(posture!.network.ingressRestricted).toBe(true);
    expect(posture!.network.egressRestricted).toBe(false);
    expect(posture!.blastRadius.withGeneratedPolicies.reachableServices).toBe(2);
  });
});
