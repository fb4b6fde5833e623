// Audit replay: run a proposed policy over the recorded history and list exactly which events it would have refused.
// NetworkPolicies are judged together with the cluster's existing ones (they are additive: a connection counts as
// blocked when it was allowed before the proposal and is not after); seccomp against the target workload's
// syscalls; RBAC as the subject's only grants, against the API calls that succeeded.
import type { RuntimeEvent } from '../model/event.js';
import type { KubeObject } from '../model/inventory.js';
import type { ReplayBlock, ReplayResult, SeccompProfileJson } from '../model/policy.js';
import type { InventoryIndex, PodInfo } from './inventory-index.js';
import { workloadNameFromPodName } from './inventory-index.js';
import { egressVerdict, evaluate, isLoopback, networkPoliciesOf } from './network-policy-eval.js';
import { grantsAllow, grantsFor } from './rbac-resolver.js';

export class ReplayInputError extends Error {
  override name = 'ReplayInputError';
}

export type ProposedPolicy =
  | { kind: 'networkpolicy'; objects: KubeObject[] }
  | { kind: 'seccomp'; profile: SeccompProfileJson; workload: string | null; name: string }
  | { kind: 'rbac'; objects: KubeObject[] };

/** Recognizes what a policy file holds: NetworkPolicies, a seccomp profile (plain or SeccompProfile), or RBAC. */
export function classifyPolicy(documents: unknown[]): ProposedPolicy {
  const objects = documents.flatMap((d) => (d && typeof d === 'object' && (d as { kind?: string }).kind === 'List' ? ((d as { items?: unknown[] }).items ?? []) : [d]));
  const kinds = new Set(objects.map((o) => (o && typeof o === 'object' ? (o as { kind?: string }).kind : undefined)));
  if (objects.length === 1 && objects[0] && typeof objects[0] === 'object' && 'defaultAction' in objects[0] && !('kind' in objects[0])) {
    return { kind: 'seccomp', profile: objects[0] as SeccompProfileJson, workload: null, name: 'seccomp profile' };
  }
  if (kinds.size === 1 && kinds.has('SeccompProfile')) {
    const object = objects[0] as KubeObject & { spec?: SeccompProfileJson };
    if (!object.spec?.defaultAction) throw new ReplayInputError('the SeccompProfile has no spec.defaultAction');
    return { kind: 'seccomp', profile: object.spec, workload: object.metadata.annotations?.['vigil.dev/target-workload'] ?? null, name: `SeccompProfile ${object.metadata.namespace ?? ''}/${object.metadata.name}` };
  }
  if (kinds.size === 1 && kinds.has('NetworkPolicy')) return { kind: 'networkpolicy', objects: objects as KubeObject[] };
  const rbacKinds = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);
  if ([...kinds].every((k) => k !== undefined && rbacKinds.has(k))) {
    if (!kinds.has('RoleBinding') && !kinds.has('ClusterRoleBinding')) throw new ReplayInputError('the RBAC policy has roles but no bindings: replay needs to know whom the roles are for');
    return { kind: 'rbac', objects: objects as KubeObject[] };
  }
  throw new ReplayInputError(`cannot replay a file holding ${[...kinds].map(String).join(', ')}: expected NetworkPolicy objects, a seccomp profile (JSON or SeccompProfile), or Role/ClusterRole with bindings`);
}

function podOf(event: RuntimeEvent, inventory: InventoryIndex): PodInfo | undefined {
  return event.pod ? inventory.pod(`${event.pod.namespace}/${event.pod.name}`) : undefined;
}

function workloadOf(event: RuntimeEvent, inventory: InventoryIndex): string | null {
  if (!event.pod) return null;
  return podOf(event, inventory)?.workload ?? `${event.pod.namespace}/${workloadNameFromPodName(event.pod.name)}`;
}

const policyName = (o: KubeObject) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

export function replayNetworkPolicies(proposed: KubeObject[], events: readonly RuntimeEvent[], inventory: InventoryIndex): ReplayResult {
  const proposedNames = new Set(proposed.map(policyName));
  const before = networkPoliciesOf(inventory.objects);
  const after = [...before.filter((p) => !proposedNames.has(policyName(p))), ...proposed];
  const blocked: ReplayBlock[] = [];
  let considered = 0;
  const selectsPod = (pod: PodInfo) => evaluate(proposed, inventory, 'Egress', pod, { ip: '0.0.0.0', pod: null }, 'TCP', 0).isolated || evaluate(proposed, inventory, 'Ingress', pod, { ip: '0.0.0.0', pod: null }, 'TCP', 0).isolated;
  for (const event of events) {
    let source: PodInfo | undefined;
    let check: ((policies: KubeObject[]) => { allowed: boolean; selectingPolicies: string[] }) | null = null;
    let what = '';
    if (event.kind === 'net.connect') {
      source = podOf(event, inventory);
      const d = event.details;
      if (!source || isLoopback(d.dstIp)) continue;
      check = (policies) => egressVerdict(policies, inventory, source!, d.dstIp, d.dstPort, d.protocol);
      what = `egress ${d.protocol} ${d.dnsName ? `${d.dnsName} (${d.dstIp})` : d.dstIp}:${d.dstPort}`;
    } else if (event.kind === 'dns.query') {
      source = podOf(event, inventory);
      const d = event.details;
      if (!source) continue;
      check = (policies) => egressVerdict(policies, inventory, source!, d.server, 53, 'udp');
      what = `DNS query ${d.queryName} to ${d.server}:53/udp`;
    } else if (event.kind === 'net.accept') {
      source = podOf(event, inventory);
      const d = event.details;
      // Accepted sockets come from the pod's side: src = its listening address, dst = the peer.
      if (!source || isLoopback(d.dstIp)) continue;
      check = (policies) => evaluate(policies, inventory, 'Ingress', source!, { ip: d.dstIp, pod: inventory.podByIp(d.dstIp) ?? null }, d.protocol, d.srcPort);
      what = `ingress ${d.protocol} from ${d.dstIp} to port ${d.srcPort}`;
    }
    if (!check || !source || !selectsPod(source)) continue;
    considered++;
    const wasAllowed = check(before).allowed;
    const verdict = check(after);
    if (wasAllowed && !verdict.allowed) {
      blocked.push({ eventId: event.id, time: event.time, pod: `${source.namespace}/${source.name}`, what, policy: verdict.selectingPolicies.filter((p) => proposedNames.has(p)).join(', ') });
    }
  }
  return { policy: [...proposedNames].sort().join(', '), kind: 'networkpolicy', eventsConsidered: considered, blocked };
}

export function replaySeccomp(profile: SeccompProfileJson, workload: string, name: string, events: readonly RuntimeEvent[], inventory: InventoryIndex): ReplayResult {
  const allowedAction = profile.defaultAction === 'SCMP_ACT_LOG';
  const allowed = new Set(profile.syscalls.filter((s) => s.action === 'SCMP_ACT_ALLOW').flatMap((s) => s.names));
  const blocked: ReplayBlock[] = [];
  let considered = 0;
  for (const event of events) {
    if (event.kind !== 'syscall.first' || workloadOf(event, inventory) !== workload) continue;
    considered++;
    if (allowedAction || allowed.has(event.details.syscall)) continue;
    blocked.push({ eventId: event.id, time: event.time, pod: event.pod ? `${event.pod.namespace}/${event.pod.name}` : null, what: `syscall ${event.details.syscall} by ${event.process?.exe ?? 'unknown process'}`, policy: name });
  }
  return { policy: name, kind: 'seccomp', eventsConsidered: considered, blocked };
}

export function replayRbac(objects: KubeObject[], events: readonly RuntimeEvent[]): ReplayResult {
  const subjects = new Set<string>();
  for (const binding of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    for (const s of (binding as { subjects?: { kind: string; name: string; namespace?: string }[] }).subjects ?? []) {
      if (s.kind === 'ServiceAccount') subjects.add(`system:serviceaccount:${s.namespace ?? binding.metadata.namespace ?? 'default'}:${s.name}`);
      else if (s.kind === 'User') subjects.add(s.name);
    }
  }
  const grantsBySubject = new Map<string, ReturnType<typeof grantsFor>>();
  for (const user of subjects) {
    const match = /^system:serviceaccount:([^:]+):(.+)$/.exec(user);
    grantsBySubject.set(user, match ? grantsFor(match[1]!, match[2]!, objects) : []);
  }
  const blocked: ReplayBlock[] = [];
  let considered = 0;
  for (const event of events) {
    if (event.kind !== 'k8s.audit') continue;
    const d = event.details;
    const grants = grantsBySubject.get(d.user);
    if (!grants || (d.responseCode !== undefined && d.responseCode >= 400)) continue;
    considered++;
    const resource = d.subresource ? `${d.resource}/${d.subresource}` : d.resource;
    if (grantsAllow(grants, { verb: d.verb, apiGroup: d.apiGroup, resource, namespace: d.namespace ?? null, name: d.name ?? null })) continue;
    blocked.push({ eventId: event.id, time: event.time, pod: null, what: `${d.user} ${d.verb} ${resource}${d.name ? ` ${d.name}` : ''} ${d.namespace ? `in ${d.namespace}` : 'cluster-wide'}`, policy: objects.map((o) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`).join(', ') });
  }
  return { policy: [...subjects].sort().join(', '), kind: 'rbac', eventsConsidered: considered, blocked };
}

export function replay(policy: ProposedPolicy, events: readonly RuntimeEvent[], inventory: InventoryIndex, seccompWorkload?: string): ReplayResult {
  if (policy.kind === 'networkpolicy') return replayNetworkPolicies(policy.objects, events, inventory);
  if (policy.kind === 'rbac') return replayRbac(policy.objects, events);
  const workload = seccompWorkload ?? policy.workload;
  if (!workload) throw new ReplayInputError('a plain seccomp profile does not say which workload it is for: name the target pod (NAMESPACE/POD)');
  return replaySeccomp(policy.profile, workload, policy.name, events, inventory);
}
