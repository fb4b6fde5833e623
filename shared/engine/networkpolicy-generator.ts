// NetworkPolicy from a workload's learned baseline: ingress and egress allowlists of exactly the peers and ports it
// used, DNS always allowed, pod/namespace selectors for peers in the cluster and /32 ipBlocks for everything else.
import type { GeneratedPolicy } from '../model/policy.js';
import type { KubeObject } from '../model/inventory.js';
import type { InventoryIndex } from './inventory-index.js';
import type { NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule } from './network-policy-eval.js';
import { isLoopback, resolveDestination } from './network-policy-eval.js';
import { requireInventoryPod, workloadSelectorLabels, type PolicyTarget } from './policy-target.js';

interface RuleDraft {
  peer: NetworkPolicyPeer;
  ports: Map<string, NetworkPolicyPort>;
  eventIds: string[];
  label: string;
}

function peerForPod(inventory: InventoryIndex, pod: NonNullable<ReturnType<InventoryIndex['pod']>>): NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': pod.namespace } },
    podSelector: { matchLabels: workloadSelectorLabels(pod) },
  };
}

function addRule(rules: Map<string, RuleDraft>, peer: NetworkPolicyPeer, label: string, protocol: string, port: number, eventId: string | undefined): void {
  const key = JSON.stringify(peer);
  let draft = rules.get(key);
  if (!draft) rules.set(key, (draft = { peer, ports: new Map(), eventIds: [], label }));
  draft.ports.set(`${protocol}/${port}`, { protocol: protocol.toUpperCase(), port });
  if (eventId && draft.eventIds.length < 5 && !draft.eventIds.includes(eventId)) draft.eventIds.push(eventId);
}

function toRules(rules: Map<string, RuleDraft>, direction: 'to' | 'from'): { rules: NetworkPolicyRule[]; justification: { rule: string; eventIds: string[] }[] } {
  const sorted = [...rules.values()].sort((a, b) => (a.label < b.label ? -1 : 1));
  return {
    rules: sorted.map((d) => ({
      [direction]: [d.peer],
      ports: [...d.ports.values()].sort((a, b) => (a.protocol! < b.protocol! ? -1 : a.protocol! > b.protocol! ? 1 : (a.port as number) - (b.port as number))),
    })),
    justification: sorted.map((d) => ({ rule: `${direction === 'to' ? 'egress to' : 'ingress from'} ${d.label} on ${[...d.ports.keys()].sort().join(', ')}`, eventIds: d.eventIds })),
  };
}

export function generateNetworkPolicy(target: PolicyTarget, inventory: InventoryIndex): GeneratedPolicy {
  const pod = requireInventoryPod(target, 'A NetworkPolicy');
  const profile = target.profile;
  const warnings: string[] = [];
  if (!profile.learned) warnings.push(`the baseline of ${target.workload} is still learning (${profile.eventCount} events): the allowlist may miss legitimate traffic`);
  const egress = new Map<string, RuleDraft>();
  for (const key of [...profile.features.get('egressAddresses')!].sort()) {
    const [protocol, ip, portText] = key.split(':') as [string, string, string];
    const port = Number(portText);
    if (isLoopback(ip)) continue;
    if (protocol === 'udp' && port === 53) continue;
    const eventId = profile.evidence.get(`egressAddresses|${key}`);
    for (const destination of resolveDestination(inventory, ip, port)) {
      if (destination.endpoint.pod) addRule(egress, peerForPod(inventory, destination.endpoint.pod), destination.endpoint.pod.workload, protocol, destination.port, eventId);
      else addRule(egress, { ipBlock: { cidr: `${ip}/32` } }, ip, protocol, destination.port, eventId);
    }
  }
  const ingress = new Map<string, RuleDraft>();
  for (const key of [...profile.features.get('ingressPeers')!].sort()) {
    const parts = key.split(':');
    const protocol = parts[0]!;
    const port = Number(parts[parts.length - 1]);
    const peer = parts.slice(1, -1).join(':');
    const eventId = profile.evidence.get(`ingressPeers|${key}`);
    const peerPods = inventory.pods().filter((p) => p.workload === peer);
    if (peerPods.length > 0) addRule(ingress, peerForPod(inventory, peerPods[0]!), peer, protocol, port, eventId);
    else addRule(ingress, { ipBlock: { cidr: `${peer}/32` } }, peer, protocol, port, eventId);
  }
  const egressRules = toRules(egress, 'to');
  const ingressRules = toRules(ingress, 'from');
  const name = `vigil-baseline-${target.workload.split('/')[1]}`.slice(0, 63);
  const policy: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name,
      namespace: pod.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'vigil' },
      annotations: { 'vigil.dev/generated-from': `baseline of ${target.workload} (${profile.eventCount} events)` },
    },
    spec: {
      podSelector: { matchLabels: workloadSelectorLabels(pod) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: ingressRules.rules,
      egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }, ...egressRules.rules],
    },
  };
  return {
    kind: 'networkpolicy',
    pod: target.pod,
    workload: target.workload,
    objects: [policy],
    justification: [{ rule: 'egress DNS (53/UDP, 53/TCP) to any destination: always allowed', eventIds: [] }, ...egressRules.justification, ...ingressRules.justification],
    warnings,
  };
}
