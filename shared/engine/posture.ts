// Posture per workload: declared (NetworkPolicies, RBAC grants incl. aggregated ClusterRoles, seccomp settings)
// against observed (baseline and audit log), and the blast radius before and after Vigil's generated policies.
import type { KubeObject } from '../model/inventory.js';
import type { BlastRadius, WorkloadPosture } from '../model/workload-posture.js';
import type { WorkloadProfile } from './baseline-learner.js';
import type { InventoryIndex, PodInfo } from './inventory-index.js';
import { egressVerdict, networkPoliciesOf, evaluate } from './network-policy-eval.js';
import { generateNetworkPolicy } from './networkpolicy-generator.js';
import { generateRbac } from './rbac-generator.js';
import { describeRule, grantsAllow, grantsFor, type GrantedRule } from './rbac-resolver.js';

/** An address outside every lab and private range, standing for "the internet" when asking whether egress is open. */
const INTERNET_PROBE_IP = '198.51.100.200';

function reachableServices(policies: KubeObject[], inventory: InventoryIndex, pod: PodInfo): string[] {
  const out: string[] = [];
  for (const service of inventory.services) {
    if (!service.clusterIp) continue;
    const reachable = service.ports.some((p) => egressVerdict(policies, inventory, pod, service.clusterIp!, p.port, p.protocol).allowed);
    if (reachable) out.push(`${service.namespace}/${service.name}`);
  }
  return out.sort();
}

function readableSecrets(grants: GrantedRule[], inventory: InventoryIndex): number {
  return inventory.ofKind('Secret').filter((secret) => {
    const request = { apiGroup: '', resource: 'secrets', namespace: secret.metadata.namespace ?? 'default', name: secret.metadata.name };
    return grantsAllow(grants, { ...request, verb: 'get' }) || grantsAllow(grants, { ...request, verb: 'list', name: null });
  }).length;
}

function identities(grants: GrantedRule[], inventory: InventoryIndex): number {
  let count = 1;
  for (const sa of inventory.ofKind('ServiceAccount')) {
    const request = { apiGroup: '', namespace: sa.metadata.namespace ?? 'default', name: sa.metadata.name };
    if (grantsAllow(grants, { ...request, verb: 'create', resource: 'serviceaccounts/token' }) || grantsAllow(grants, { ...request, verb: 'impersonate', resource: 'serviceaccounts' })) count++;
  }
  return count;
}

function radius(policies: KubeObject[], grants: GrantedRule[], inventory: InventoryIndex, pod: PodInfo): BlastRadius {
  return {
    reachableServices: reachableServices(policies, inventory, pod).length,
    internetReachable: egressVerdict(policies, inventory, pod, INTERNET_PROBE_IP, 443, 'TCP').allowed,
    readableSecrets: readableSecrets(grants, inventory),
    identities: identities(grants, inventory),
  };
}

/**
 * The blast radius of a pod under a given plan: the cluster's NetworkPolicies plus the plan's, and the grants of the
 * plan's RBAC objects alone (the plan's binding replaces the service account's grants). Used for a plan under audit,
 * which accepted violations have widened beyond what the engine generates.
 */
export function blastRadiusUnderPlan(inventory: InventoryIndex, pod: PodInfo, planNetwork: KubeObject[], planRbac: KubeObject[]): BlastRadius {
  const policies = [...networkPoliciesOf(inventory.objects), ...networkPoliciesOf(planNetwork)];
  return radius(policies, grantsFor(pod.namespace, pod.serviceAccount, planRbac), inventory, pod);
}

export function computePosture(profile: WorkloadProfile, inventory: InventoryIndex): WorkloadPosture {
  const pod = inventory.pods().filter((p) => p.workload === profile.workload).sort((a, b) => (a.name < b.name ? -1 : 1))[0];
  const used = [...profile.features.get('apiUse')!].map((k) => {
    const [user, verb, apiGroup, resource, namespace] = k.split('|');
    return `${verb} ${resource} (${apiGroup || 'core'}) ${namespace ? `in ${namespace}` : 'cluster-wide'}${pod ? '' : ` as ${user}`}`;
  }).sort();
  const sensitiveReads = [...profile.features.get('credentialReaders')!].sort();
  const syscalls = [...profile.features.get('syscalls')!].sort();
  const usedDestinations = [...profile.features.get('egress')!].sort();
  const state = profile.learned ? 'ready' : 'learning';
  if (!pod) {
    const unknown: BlastRadius = { reachableServices: 0, internetReachable: true, readableSecrets: 0, identities: 0 };
    return {
      workload: profile.workload, pod: null, baselineState: state,
      network: { reachableServices: [], usedDestinations, egressRestricted: false, ingressRestricted: false },
      rbac: { serviceAccount: null, granted: [], used, unused: [] },
      syscalls: { seccompProfile: 'unknown (workload not in the inventory)', used: syscalls },
      files: { sensitiveReads },
      blastRadius: { current: unknown, withGeneratedPolicies: unknown },
    };
  }
  const policies = networkPoliciesOf(inventory.objects);
  const grants = grantsFor(pod.namespace, pod.serviceAccount, inventory.objects);
  const target = { pod: `${pod.namespace}/${pod.name}`, workload: profile.workload, info: pod, profile };
  const generatedNetwork = generateNetworkPolicy(target, inventory).objects;
  const generatedRbac = generateRbac(target).objects;
  const generatedGrants = grantsFor(pod.namespace, pod.serviceAccount, generatedRbac);
  const granted = [...new Set(grants.flatMap(describeRule))].sort();
  const usedKeys = new Set([...profile.features.get('apiUse')!].map((k) => k.split('|')));
  const unused = granted.filter((g) => ![...usedKeys].some(([, verb, , resource]) => g.startsWith(`${verb} ${resource}`)));
  const spec = (pod.object.spec ?? {}) as { securityContext?: { seccompProfile?: { type?: string; localhostProfile?: string } } };
  const seccomp = spec.securityContext?.seccompProfile;
  return {
    workload: profile.workload,
    pod: `${pod.namespace}/${pod.name}`,
    baselineState: state,
    network: {
      reachableServices: reachableServices(policies, inventory, pod),
      usedDestinations,
      egressRestricted: evaluate(policies, inventory, 'Egress', pod, { ip: INTERNET_PROBE_IP, pod: null }, 'TCP', 443).isolated,
      ingressRestricted: evaluate(policies, inventory, 'Ingress', pod, { ip: INTERNET_PROBE_IP, pod: null }, 'TCP', 443).isolated,
    },
    rbac: { serviceAccount: `${pod.namespace}/${pod.serviceAccount}`, granted, used, unused },
    syscalls: { seccompProfile: seccomp ? `${seccomp.type}${seccomp.localhostProfile ? ` (${seccomp.localhostProfile})` : ''}` : 'none declared (Unconfined unless the kubelet defaults to RuntimeDefault)', used: syscalls },
    files: { sensitiveReads },
    blastRadius: {
      current: radius(policies, grants, inventory, pod),
      withGeneratedPolicies: radius([...policies, ...generatedNetwork], generatedGrants, inventory, pod),
    },
  };
}
