// NetworkPolicy semantics (networking.k8s.io/v1) for one connection: a pod is isolated for a direction when any
// policy in its namespace selects it for that direction, and then traffic is allowed only if some rule of some
// selecting policy matches (policies are additive). Service IPs are resolved to their backend pods and target ports,
// as kube-proxy does before the CNI enforces policy; loopback is never subject to policy.
import type { KubeObject } from '../model/inventory.js';
import type { InventoryIndex, PodInfo } from './inventory-index.js';
import { matchesSelector, type LabelSelector } from './label-selector.js';
import { ipInCidr } from './observed-names.js';

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
export interface NetworkPolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
export interface NetworkPolicyRule {
  to?: NetworkPolicyPeer[];
  from?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}
export interface NetworkPolicySpec {
  podSelector?: LabelSelector;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: NetworkPolicyRule[];
  egress?: NetworkPolicyRule[];
}

export type Direction = 'Ingress' | 'Egress';

/** One end of a connection as the policy sees it: a pod (with its IP) or a bare address. */
export interface PolicyEndpoint {
  ip: string;
  pod: PodInfo | null;
}

export interface PolicyVerdict {
  isolated: boolean;
  allowed: boolean;
  /** `namespace/name` of the policies that select the pod for this direction. */
  selectingPolicies: string[];
}

function specOf(policy: KubeObject): NetworkPolicySpec {
  return (policy.spec ?? {}) as NetworkPolicySpec;
}

export function policyTypesOf(policy: KubeObject): Direction[] {
  const spec = specOf(policy);
  if (spec.policyTypes && spec.policyTypes.length > 0) return spec.policyTypes;
  return spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, other: PolicyEndpoint, inventory: InventoryIndex): boolean {
  if (peer.ipBlock) {
    if (!ipInCidr(other.ip, peer.ipBlock.cidr)) return false;
    return !(peer.ipBlock.except ?? []).some((cidr) => ipInCidr(other.ip, cidr));
  }
  if (!other.pod) return false;
  if (peer.namespaceSelector) {
    if (!matchesSelector(peer.namespaceSelector, inventory.namespaceLabelsOf(other.pod.namespace))) return false;
  } else if (other.pod.namespace !== policyNamespace) {
    return false;
  }
  return peer.podSelector ? matchesSelector(peer.podSelector, other.pod.labels) : true;
}

function portMatches(ports: NetworkPolicyPort[] | undefined, protocol: string, port: number): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP').toUpperCase() !== protocol.toUpperCase()) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return false;
    return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
  });
}

/** The verdict for traffic in `direction` at `subject` (the pod policies select) with `other` as the peer. */
export function evaluate(policies: readonly KubeObject[], inventory: InventoryIndex, direction: Direction, subject: PodInfo, other: PolicyEndpoint, protocol: string, port: number): PolicyVerdict {
  const selecting = policies.filter(
    (p) => (p.metadata.namespace ?? 'default') === subject.namespace && policyTypesOf(p).includes(direction) && matchesSelector(specOf(p).podSelector ?? {}, subject.labels),
  );
  if (selecting.length === 0) return { isolated: false, allowed: true, selectingPolicies: [] };
  const allowed = selecting.some((policy) => {
    const rules = direction === 'Egress' ? specOf(policy).egress ?? [] : specOf(policy).ingress ?? [];
    return rules.some((rule) => {
      const peers = direction === 'Egress' ? rule.to : rule.from;
      const peerOk = !peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, policy.metadata.namespace ?? 'default', other, inventory));
      return peerOk && portMatches(rule.ports, protocol, port);
    });
  });
  return { isolated: true, allowed, selectingPolicies: selecting.map((p) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`).sort() };
}

/** Where a connection to `ip:port` really lands: backend pods and target ports for a Service IP, else the address. */
export function resolveDestination(inventory: InventoryIndex, ip: string, port: number): { endpoint: PolicyEndpoint; port: number }[] {
  const service = inventory.serviceByIp(ip);
  if (service && service.selector) {
    const servicePort = service.ports.find((p) => p.port === port);
    const target = servicePort && typeof servicePort.targetPort === 'number' ? servicePort.targetPort : port;
    const backends = inventory.backendsOf(service);
    if (backends.length > 0) return backends.map((pod) => ({ endpoint: { ip: pod.ip ?? ip, pod }, port: target }));
  }
  return [{ endpoint: { ip, pod: inventory.podByIp(ip) ?? null }, port }];
}

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

/** Egress verdict for a connection from `source` to `ip:port`, through Services. Allowed if any backend is allowed. */
export function egressVerdict(policies: readonly KubeObject[], inventory: InventoryIndex, source: PodInfo, ip: string, port: number, protocol: string): PolicyVerdict {
  if (isLoopback(ip)) return { isolated: false, allowed: true, selectingPolicies: [] };
  const verdicts = resolveDestination(inventory, ip, port).map((d) => evaluate(policies, inventory, 'Egress', source, d.endpoint, protocol, d.port));
  return {
    isolated: verdicts.some((v) => v.isolated),
    allowed: verdicts.some((v) => v.allowed),
    selectingPolicies: [...new Set(verdicts.flatMap((v) => v.selectingPolicies))].sort(),
  };
}

export function networkPoliciesOf(objects: readonly KubeObject[]): KubeObject[] {
  return objects.filter((o) => o.kind === 'NetworkPolicy');
}
