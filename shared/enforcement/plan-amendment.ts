// Accepting an audit violation into the plan: the refused thing was legitimate (a month-end job, a new release), so
// the proposed policy grows by exactly that — one egress destination and port, one ingress peer and port, one
// syscall, one API verb on one resource — and records which event justified it. The input plan is never modified; a new one is returned.
import type { RuntimeEvent } from '../model/event.js';
import type { KubeObject } from '../model/inventory.js';
import type { GeneratedPolicy } from '../model/policy.js';

export class AmendmentError extends Error {
  override name = 'AmendmentError';
}

type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[] };
type Peer = { ipBlock?: { cidr: string }; podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: { matchLabels?: Record<string, string> } };
type EgressRule = { to?: Peer[]; ports?: { protocol?: string; port?: number }[] };

/**
 * A destination that is a Service's ClusterIP: NetworkPolicies are judged after the service address is translated to
 * a pod's, so the rule must name the pods behind the service (and its target port), not the ClusterIP.
 */
export interface ServiceBehind {
  namespace: string;
  selector: Record<string, string>;
  targetPort: number;
}
export type ServiceResolver = (ip: string, port: number) => ServiceBehind | undefined;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function amendPlan(plan: GeneratedPolicy, evidence: RuntimeEvent, resolveService: ServiceResolver = () => undefined): GeneratedPolicy {
  switch (plan.kind) {
    case 'networkpolicy':
      return amendNetworkPolicy(plan, evidence, resolveService);
    case 'seccomp':
      return amendSeccomp(plan, evidence);
    case 'rbac':
      return amendRbac(plan, evidence);
  }
}

function destinationOf(event: RuntimeEvent): { ip: string; port: number; protocol: 'TCP' | 'UDP' } {
  if (event.kind === 'net.connect' || event.kind === 'net.close') {
    return { ip: event.details.dstIp, port: event.details.dstPort, protocol: event.details.protocol === 'udp' ? 'UDP' : 'TCP' };
  }
  if (event.kind === 'enforce.verdict' && event.details.protocol !== 'other') {
    return { ip: event.details.dstIp, port: event.details.dstPort, protocol: event.details.protocol === 'udp' ? 'UDP' : 'TCP' };
  }
  throw new AmendmentError(`event ${event.id} (${event.kind}) is not an outbound connection: it cannot widen a NetworkPolicy`);
}

/** An accepted connection into the workload: the peer gets the port it reached (a new listener, a new client). */
function amendIngress(plan: GeneratedPolicy, event: Extract<RuntimeEvent, { kind: 'net.accept' }>): GeneratedPolicy {
  // Accepted sockets are reported from the pod's side: src is its listening address, dst the peer.
  const { dstIp: peerIp, srcPort: port } = event.details;
  const protocol = event.details.protocol === 'udp' ? 'UDP' : 'TCP';
  const cidr = peerIp.includes(':') ? `${peerIp}/128` : `${peerIp}/32`;
  const objects = clone(plan.objects);
  const policy = objects.find((o) => o.kind === 'NetworkPolicy' && ((o.spec as { policyTypes?: string[] })?.policyTypes ?? []).includes('Ingress'));
  if (!policy) throw new AmendmentError('the plan has no NetworkPolicy with an Ingress section to widen');
  const spec = policy.spec as { ingress?: { from?: Peer[]; ports?: { protocol?: string; port?: number }[] }[] };
  spec.ingress ??= [];
  const already = spec.ingress.some((rule) => rule.from?.some((p) => p.ipBlock?.cidr === cidr) && rule.ports?.some((p) => p.port === port && (p.protocol ?? 'TCP') === protocol));
  if (!already) spec.ingress.push({ from: [{ ipBlock: { cidr } }], ports: [{ protocol, port }] });
  return withJustification({ ...plan, objects }, `ingress from ${cidr} on ${protocol}/${port} (accepted in audit)`, event.id);
}

function amendNetworkPolicy(plan: GeneratedPolicy, event: RuntimeEvent, resolveService: ServiceResolver): GeneratedPolicy {
  if (event.kind === 'net.accept') return amendIngress(plan, event);
  const { ip, port, protocol } = destinationOf(event);
  const service = resolveService(ip, port);
  const peer: Peer = service
    ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': service.namespace } }, podSelector: { matchLabels: service.selector } }
    : { ipBlock: { cidr: ip.includes(':') ? `${ip}/128` : `${ip}/32` } };
  const rulePort = service?.targetPort ?? port;
  const objects = clone(plan.objects);
  const policy = objects.find((o) => o.kind === 'NetworkPolicy' && ((o.spec as { policyTypes?: string[] })?.policyTypes ?? []).includes('Egress'));
  if (!policy) throw new AmendmentError('the plan has no NetworkPolicy with an Egress section to widen');
  const spec = policy.spec as { egress?: EgressRule[] };
  spec.egress ??= [];
  const samePeer = (p: Peer) => JSON.stringify(p) === JSON.stringify(peer);
  const already = spec.egress.some((rule) => rule.to?.some(samePeer) && rule.ports?.some((p) => p.port === rulePort && (p.protocol ?? 'TCP') === protocol));
  if (!already) spec.egress.push({ to: [peer], ports: [{ protocol, port: rulePort }] });
  const label = service ? `pods ${Object.entries(service.selector).map(([k, v]) => `${k}=${v}`).join(',')} in ${service.namespace} (service ${ip})` : peer.ipBlock!.cidr;
  return withJustification({ ...plan, objects }, `egress to ${label} on ${protocol}/${rulePort} (accepted in audit)`, event.id);
}

function amendSeccomp(plan: GeneratedPolicy, event: RuntimeEvent): GeneratedPolicy {
  if (event.kind !== 'syscall.first') throw new AmendmentError(`event ${event.id} (${event.kind}) is not a syscall: it cannot widen a seccomp profile`);
  if (!plan.seccomp) throw new AmendmentError('the plan has no seccomp profile');
  const name = event.details.syscall;
  const seccomp = clone(plan.seccomp);
  const allow = seccomp.syscalls.find((s) => s.action === 'SCMP_ACT_ALLOW');
  if (!allow) seccomp.syscalls.push({ names: [name], action: 'SCMP_ACT_ALLOW' });
  else if (!allow.names.includes(name)) allow.names = [...allow.names, name].sort();
  const objects = clone(plan.objects).map((o) => (o.kind === 'SeccompProfile' ? { ...o, spec: { ...(o.spec as object), syscalls: seccomp.syscalls } } : o));
  return withJustification({ ...plan, seccomp, objects }, `allow ${name} (accepted in audit)`, event.id);
}

function amendRbac(plan: GeneratedPolicy, event: RuntimeEvent): GeneratedPolicy {
  if (event.kind !== 'k8s.audit') throw new AmendmentError(`event ${event.id} (${event.kind}) is not a Kubernetes API call: it cannot widen a Role`);
  const { verb, apiGroup, resource, subresource, namespace } = event.details;
  const fullResource = subresource ? `${resource}/${subresource}` : resource;
  const objects = clone(plan.objects);
  const roleKind = namespace ? 'Role' : 'ClusterRole';
  let role = objects.find((o) => o.kind === roleKind && (namespace ? o.metadata.namespace === namespace : true));
  if (!role) role = addRoleFor(objects, roleKind, namespace);
  const rules = ((role as KubeObject & { rules?: Rule[] }).rules ??= []);
  const rule = rules.find((r) => r.apiGroups?.includes(apiGroup) && r.resources?.includes(fullResource) && !r.resourceNames?.length);
  if (rule) {
    if (!rule.verbs?.includes(verb)) rule.verbs = [...(rule.verbs ?? []), verb].sort();
  } else {
    rules.push({ apiGroups: [apiGroup], resources: [fullResource], verbs: [verb] });
  }
  const scope = namespace ? `in ${namespace}` : 'cluster-wide';
  return withJustification({ ...plan, objects }, `${verb} ${fullResource} ${scope} (accepted in audit)`, event.id);
}

/** A namespace the plan had no Role for: a Role and a RoleBinding for the same subject as the plan's other bindings. */
function addRoleFor(objects: KubeObject[], kind: 'Role' | 'ClusterRole', namespace: string | undefined): KubeObject {
  const binding = objects.find((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') as (KubeObject & { subjects?: unknown[]; roleRef?: { name: string } }) | undefined;
  if (!binding?.subjects?.length || !binding.roleRef) throw new AmendmentError('the plan has no binding to copy the subject from; regenerate the RBAC plan');
  const name = binding.roleRef.name;
  const labels = binding.metadata.labels;
  const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) }, rules: [] };
  objects.push(role, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: kind === 'Role' ? 'RoleBinding' : 'ClusterRoleBinding',
    metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name },
    subjects: binding.subjects,
  });
  return role;
}

function withJustification(plan: GeneratedPolicy, rule: string, eventId: string): GeneratedPolicy {
  if (plan.justification.some((j) => j.rule === rule)) return plan;
  return { ...plan, justification: [...plan.justification, { rule, eventIds: [eventId] }] };
}
