// The node-level twin of a generated NetworkPolicy: the collector's cgroup egress program knows addresses, not
// labels, so pod and namespace selectors are resolved to the pod IPs they select right now — and to the ClusterIPs
// of the Services in front of those pods, since the cgroup hook sees a packet before kube-proxy's DNAT turns the
// service address into the pod's (a NetworkPolicy, judged after DNAT, never has to). DNS stays allowed by the
// collector itself (its allowlist policy always lets port 53 through to the cluster resolver).
import type { KubeObject } from '../../shared/model/inventory.js';
import type { EnforcementRequest } from '../../shared/collector-api/messages.js';
import { matchesSelector, type LabelSelector } from '../../shared/engine/label-selector.js';
import type { InventoryIndex } from '../../shared/engine/inventory-index.js';

type Peer = { ipBlock?: { cidr: string; except?: string[] }; podSelector?: LabelSelector; namespaceSelector?: LabelSelector };
type EgressRule = { to?: Peer[]; ports?: { protocol?: string; port?: number | string; endPort?: number }[] };
type AllowEntry = NonNullable<EnforcementRequest['allow']>[number];

const isDnsOnly = (rule: EgressRule) => !rule.to?.length && (rule.ports ?? []).every((p) => p.port === 53);

export function nodeAllowlist(policies: readonly KubeObject[], inventory: InventoryIndex): { allow: AllowEntry[]; notes: string[] } {
  const allow = new Map<string, AllowEntry>();
  const notes: string[] = [];
  const add = (cidr: string, ports: number[]) => {
    const key = `${cidr}|${ports.join(',')}`;
    if (!allow.has(key)) allow.set(key, ports.length ? { cidr, ports } : { cidr });
  };
  const pods = inventory.objects.filter((o) => o.kind === 'Pod');
  for (const policy of policies) {
    if (policy.kind !== 'NetworkPolicy') continue;
    const namespace = policy.metadata.namespace ?? 'default';
    for (const rule of ((policy.spec as { egress?: EgressRule[] })?.egress ?? [])) {
      if (isDnsOnly(rule)) continue;
      const ports = (rule.ports ?? []).flatMap((p) => {
        if (typeof p.port !== 'number') {
          if (p.port !== undefined) notes.push(`named port ${p.port} in ${namespace}/${policy.metadata.name} cannot be enforced at the node: it is left to the NetworkPolicy`);
          return [];
        }
        if (p.endPort) notes.push(`port range ${p.port}-${p.endPort} is enforced at the node as its first port only`);
        return [p.port];
      });
      if (ports.length > 8) notes.push(`${ports.length} ports in one rule: the node allowlist keeps the first 8`);
      const kept = ports.slice(0, 8);
      if (!rule.to?.length) {
        add('0.0.0.0/0', kept);
        continue;
      }
      for (const peer of rule.to) {
        if (peer.ipBlock) {
          if (peer.ipBlock.except?.length) notes.push(`ipBlock ${peer.ipBlock.cidr} except ${peer.ipBlock.except.join(', ')}: the node allowlist allows the whole block`);
          add(peer.ipBlock.cidr, kept);
          continue;
        }
        for (const pod of pods) {
          const info = inventory.pod(`${pod.metadata.namespace}/${pod.metadata.name}`);
          if (!info?.ip) continue;
          const inNamespace = peer.namespaceSelector ? matchesSelector(peer.namespaceSelector, inventory.namespaceLabelsOf(info.namespace)) : info.namespace === namespace;
          if (!inNamespace || !matchesSelector(peer.podSelector ?? {}, info.labels)) continue;
          add(`${info.ip}/32`, kept);
          for (const service of inventory.services) {
            if (!service.clusterIp || service.namespace !== info.namespace || !service.selector || !matchesSelector({ matchLabels: service.selector }, info.labels)) continue;
            const servicePorts = service.ports.filter((p) => kept.length === 0 || kept.includes(Number(p.targetPort))).map((p) => p.port);
            if (kept.length === 0 || servicePorts.length > 0) add(`${service.clusterIp}/32`, kept.length === 0 ? [] : servicePorts);
          }
        }
      }
    }
  }
  return { allow: [...allow.values()].sort((a, b) => (a.cidr < b.cidr ? -1 : a.cidr > b.cidr ? 1 : 0)), notes: [...new Set(notes)] };
}
