// The objects and changes a quarantine is made of. Each ChangeSpec decides from the object as it is now, so planning
// twice plans nothing the second time. Labels Vigil puts on a pod are its own (vigil.dev/*): no controller selects on
// them, so labelling never orphans the pod from its ReplicaSet or StatefulSet.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from '../../../shared/evidence/action-chain.js';
import type { QuarantinePeer } from '../../../shared/model/action.js';
import type { KubeObject } from '../../../shared/model/inventory.js';
import { serviceAccountUserName } from '../posture/effective-permissions.js';
import { KINDS } from '../resource-kinds.js';
import type { ChangeSpec, Desired } from './object-change.js';

export type QuarantineMode = 'soft' | 'hard';
export const QUARANTINE_LABEL = 'vigil.dev/quarantine';
export const QUARANTINE_POD_LABEL = 'vigil.dev/quarantine-pod';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'vigil';
export const QUARANTINE_POD_ANNOTATION = 'vigil.dev/quarantined-pod';

const shortHash = (text: string, length: number) => bytesToHex(sha256(utf8ToBytes(text))).slice(0, length);

/** The value that selects exactly this pod: its name when it is a valid label value, else a hash of it. */
export function podSelectorValue(pod: KubeObject): string {
  const name = pod.metadata.name;
  return name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name) ? name : `h-${shortHash(`${pod.metadata.namespace}/${name}`, 40)}`;
}

export function policyName(mode: QuarantineMode, podName: string): string {
  const name = `vigil-quarantine-${mode}-${podName}`;
  return name.length <= 253 ? name : `vigil-quarantine-${mode}-${shortHash(podName, 40)}`;
}

function peerToNetworkPolicy(peer: QuarantinePeer): Record<string, unknown> {
  if (peer.cidr) return { ipBlock: { cidr: peer.cidr, ...(peer.except?.length ? { except: peer.except } : {}) } };
  return {
    ...(peer.namespace !== undefined ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } } } : {}),
    ...(peer.podLabels !== undefined ? { podSelector: { matchLabels: peer.podLabels } } : {}),
  };
}

function peerRule(peer: QuarantinePeer, direction: 'to' | 'from'): Record<string, unknown> {
  return { [direction]: [peerToNetworkPolicy(peer)], ...(peer.ports?.length ? { ports: peer.ports.map((p) => ({ ...p })) } : {}) };
}

/** DNS to any resolver: the pod must still resolve names to reach its baseline (the usual allow-DNS rule). */
const DNS_RULE = { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };

function policyObject(pod: KubeObject, mode: QuarantineMode, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: policyName(mode, pod.metadata.name),
      namespace: pod.metadata.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [QUARANTINE_LABEL]: mode },
      annotations: { [QUARANTINE_POD_ANNOTATION]: `${pod.metadata.namespace}/${pod.metadata.name}` },
    },
    spec: { podSelector: { matchLabels: { [QUARANTINE_POD_LABEL]: podSelectorValue(pod) } }, ...spec },
  };
}

/** Soft: egress only to the baseline peers and DNS; ingress only from the given peers when any are given. */
export function softPolicy(pod: KubeObject, egress: QuarantinePeer[], ingress: QuarantinePeer[] | undefined): KubeObject {
  return policyObject(pod, 'soft', {
    policyTypes: ingress ? ['Ingress', 'Egress'] : ['Egress'],
    ...(ingress ? { ingress: ingress.map((p) => peerRule(p, 'from')) } : {}),
    egress: [DNS_RULE, ...egress.map((p) => peerRule(p, 'to'))],
  });
}

/** Hard: selects the pod for both directions with no rule, i.e. denies all of its traffic. */
export function hardPolicy(pod: KubeObject): KubeObject {
  return policyObject(pod, 'hard', { policyTypes: ['Ingress', 'Egress'] });
}

/** Equal as JSON regardless of key order (the server returns fields in its own order). */
export const sameJson = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** The policy exists with exactly this spec and labels. */
export function policyPresentSpec(policy: KubeObject, purpose: string): ChangeSpec {
  return {
    kind: KINDS.NetworkPolicy,
    namespace: policy.metadata.namespace,
    name: policy.metadata.name,
    purpose,
    desire(current): Desired {
      if (!current) return { action: 'create', object: policy };
      const labels = { ...(current.metadata.labels ?? {}), ...policy.metadata.labels };
      if (sameJson(current.spec, policy.spec) && sameJson(labels, current.metadata.labels ?? {})) return { action: 'none' };
      return { action: 'update', object: { ...current, metadata: { ...current.metadata, labels }, spec: policy.spec } };
    },
  };
}

/** The Vigil policy of the other mode is gone (soft → hard would otherwise keep allowing the baseline). */
export function policyAbsentSpec(namespace: string, name: string, purpose: string): ChangeSpec {
  return {
    kind: KINDS.NetworkPolicy,
    namespace,
    name,
    purpose,
    desire: (current): Desired => (current && current.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE ? { action: 'delete' } : { action: 'none' }),
  };
}

export function podLabelSpec(pod: KubeObject, mode: QuarantineMode): ChangeSpec {
  const wanted = { [QUARANTINE_LABEL]: mode, [QUARANTINE_POD_LABEL]: podSelectorValue(pod) };
  return {
    kind: KINDS.Pod,
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    purpose: `mark the pod as under ${mode} quarantine, so Vigil's NetworkPolicy selects it`,
    desire(current): Desired {
      if (!current) throw new Error('the pod no longer exists');
      if (pod.metadata.uid && current.metadata.uid !== pod.metadata.uid) throw new Error('the pod was replaced by a new one with the same name');
      const labels = current.metadata.labels ?? {};
      if (Object.entries(wanted).every(([k, v]) => labels[k] === v)) return { action: 'none' };
      return { action: 'update', object: { ...current, metadata: { ...current.metadata, labels: { ...labels, ...wanted } } } };
    },
  };
}

type Subject = { kind?: string; name?: string; namespace?: string };

/** Whether a binding subject names this service account itself (not a group it belongs to). */
export function subjectIsServiceAccount(subject: Subject, bindingNamespace: string | undefined, namespace: string, name: string): boolean {
  if (subject.kind === 'ServiceAccount') return subject.name === name && (subject.namespace ?? bindingNamespace) === namespace;
  return subject.kind === 'User' && subject.name === serviceAccountUserName(namespace, name);
}

export function revokeSubjectSpec(binding: KubeObject, namespace: string, name: string): ChangeSpec {
  const kind = binding.kind === 'ClusterRoleBinding' ? KINDS.ClusterRoleBinding : KINDS.RoleBinding;
  const bindingNamespace = binding.metadata.namespace;
  return {
    kind,
    ...(bindingNamespace ? { namespace: bindingNamespace } : {}),
    name: binding.metadata.name,
    purpose: `revoke what ${kind.kind} ${binding.metadata.name} grants the pod's service account ${namespace}/${name}`,
    desire(current): Desired {
      if (!current) return { action: 'none' };
      const subjects = (current.subjects as Subject[] | undefined) ?? [];
      const kept = subjects.filter((s) => !subjectIsServiceAccount(s, bindingNamespace, namespace, name));
      return kept.length === subjects.length ? { action: 'none' } : { action: 'update', object: { ...current, subjects: kept } };
    },
  };
}

export function cordonSpec(nodeName: string): ChangeSpec {
  return {
    kind: KINDS.Node,
    name: nodeName,
    purpose: 'cordon the pod\'s node, so nothing new is scheduled there',
    desire(current): Desired {
      if (!current) throw new Error(`node ${nodeName} does not exist`);
      const spec = (current.spec ?? {}) as Record<string, unknown>;
      return spec.unschedulable === true ? { action: 'none' } : { action: 'update', object: { ...current, spec: { ...spec, unschedulable: true } } };
    },
  };
}

export function scaleToZeroSpec(owner: { kind: 'Deployment' | 'StatefulSet'; namespace: string; name: string }): ChangeSpec {
  return {
    kind: KINDS[owner.kind],
    namespace: owner.namespace,
    name: owner.name,
    subresource: 'scale',
    purpose: `scale the pod's owner ${owner.kind} ${owner.name} to zero replicas`,
    desire(current): Desired {
      if (!current) throw new Error(`${owner.kind} ${owner.namespace}/${owner.name} does not exist`);
      const spec = (current.spec ?? {}) as { replicas?: number };
      return spec.replicas === 0 ? { action: 'none' } : { action: 'update', object: { ...current, spec: { ...spec, replicas: 0 } } };
    },
  };
}
