// NetworkPolicies are additive: a pod selected by several policies may send and receive whatever any of them allows.
// So a quarantine policy does not stop traffic another policy still allows; this finds those policies and says what
// they allow. Pure: no Node API.
import type { KubeObject } from '../../../shared/model/inventory.js';
import { selectorMatches, type LabelSelector } from '../posture/rbac-rules.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './quarantine-objects.js';

interface Peer {
  ipBlock?: { cidr: string; except?: string[] };
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
}
interface Port {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Port[];
}
interface PolicySpec {
  podSelector?: LabelSelector;
  policyTypes?: string[];
  ingress?: Rule[];
  egress?: Rule[];
}

function selectorWords(selector: LabelSelector): string {
  const parts = [
    ...Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(selector.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values ? ` (${e.values.join(', ')})` : ''}`),
  ];
  return parts.length > 0 ? parts.join(', ') : '';
}

function peerWords(peer: Peer): string {
  if (peer.ipBlock) return `${peer.ipBlock.cidr}${peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.join(', ')}` : ''}`;
  const pods = peer.podSelector ? selectorWords(peer.podSelector) : undefined;
  const podText = pods === undefined ? 'all pods' : pods === '' ? 'all pods' : `pods labelled ${pods}`;
  if (!peer.namespaceSelector) return `${podText} in its namespace`;
  const namespaces = selectorWords(peer.namespaceSelector);
  return `${podText} in ${namespaces === '' ? 'every namespace' : `namespaces labelled ${namespaces}`}`;
}

function portWords(ports: Port[] | undefined): string {
  if (!ports || ports.length === 0) return '';
  return ` on ${ports.map((p) => `${p.port ?? 'any port'}${p.endPort ? `-${p.endPort}` : ''}/${p.protocol ?? 'TCP'}`).join(', ')}`;
}

function ruleWords(rule: Rule, direction: 'from' | 'to'): string {
  const peers = rule[direction];
  const who = !peers || peers.length === 0 ? 'anywhere' : peers.map(peerWords).join('; ');
  return `${direction} ${who}${portWords(rule.ports)}`;
}

export interface AllowingPolicy {
  namespace: string;
  name: string;
  ingress: string[];
  egress: string[];
  words: string;
}

export function isVigilPolicy(policy: KubeObject): boolean {
  return policy.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/** Policies other than Vigil's that select the pod and still allow some of its traffic. */
export function policiesStillAllowing(pod: KubeObject, policies: KubeObject[]): AllowingPolicy[] {
  const found: AllowingPolicy[] = [];
  for (const policy of policies) {
    if (policy.metadata.namespace !== pod.metadata.namespace || isVigilPolicy(policy)) continue;
    const spec = (policy.spec ?? {}) as PolicySpec;
    if (!selectorMatches(spec.podSelector ?? {}, pod.metadata.labels)) continue;
    const types = spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
    const ingress = types.includes('Ingress') ? (spec.ingress ?? []).map((r) => ruleWords(r, 'from')) : [];
    const egress = types.includes('Egress') ? (spec.egress ?? []).map((r) => ruleWords(r, 'to')) : [];
    if (ingress.length === 0 && egress.length === 0) continue;
    const parts = [...(ingress.length ? [`ingress ${ingress.join('; ')}`] : []), ...(egress.length ? [`egress ${egress.join('; ')}`] : [])];
    const words = `NetworkPolicy ${policy.metadata.namespace}/${policy.metadata.name} selects the pod and still allows ${parts.join(', and ')} (policies are additive: Vigil's policy does not override it)`;
    found.push({ namespace: policy.metadata.namespace!, name: policy.metadata.name, ingress, egress, words });
  }
  return found;
}
