// The pod a policy is generated for: its workload's learned profile and, from the inventory, its labels and
// service account. Bad targets get errors that say what is missing.
import type { WorkloadProfile } from './baseline-learner.js';
import type { InventoryIndex, PodInfo } from './inventory-index.js';
import { workloadNameFromPodName } from './inventory-index.js';

export class PolicyTargetError extends Error {
  override name = 'PolicyTargetError';
}

export interface PolicyTarget {
  pod: string;
  workload: string;
  info: PodInfo | undefined;
  profile: WorkloadProfile;
}

const PER_POD_LABELS = new Set(['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']);

/** Labels every replica of the workload shares (per-pod hashes and names dropped): the policy's pod selector. */
export function workloadSelectorLabels(pod: PodInfo): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(pod.labels).sort(([a], [b]) => (a < b ? -1 : 1))) if (!PER_POD_LABELS.has(key)) labels[key] = value;
  return labels;
}

export function resolveTarget(podKey: string, inventory: InventoryIndex, profileOf: (workload: string) => WorkloadProfile | undefined): PolicyTarget {
  const [namespace, name] = podKey.split('/');
  if (!namespace || !name) throw new PolicyTargetError(`'${podKey}' is not NAMESPACE/POD`);
  const info = inventory.pod(podKey);
  const workload = info?.workload ?? `${namespace}/${workloadNameFromPodName(name)}`;
  const profile = profileOf(workload);
  if (!profile) throw new PolicyTargetError(`no events were recorded for ${podKey} (workload ${workload}); nothing to generate a policy from`);
  return { pod: podKey, workload, info, profile };
}

export function requireInventoryPod(target: PolicyTarget, what: string): PodInfo {
  if (!target.info) throw new PolicyTargetError(`${what} needs the pod's labels and service account, but ${target.pod} is not in the inventory; load an inventory (inventory.json) that contains it`);
  return target.info;
}
