// One released event with everything the stages need resolved once: its pod, workload, process, and the service
// account identity behind it. Built on the hot path, so lookups are cached per pod.
import type { RuntimeEvent } from '../model/event.js';
import type { InventoryIndex, PodInfo } from './inventory-index.js';
import { workloadNameFromPodName } from './inventory-index.js';
import type { ProcessInfo, ProcessTable } from './process-table.js';

export interface Observation {
  event: RuntimeEvent;
  timeMs: number;
  /** `namespace/name`. */
  pod: string | null;
  /** `namespace/owner`. */
  workload: string | null;
  process: ProcessInfo | null;
  /** `system:serviceaccount:<ns>:<name>` of the pod, or the audit event's user. */
  identity: string | null;
}

interface PodFacts {
  pod: string;
  namespace: string;
  name: string;
  workload: string;
  identity: string | null;
}

export class ObservationResolver {
  private readonly podFacts = new Map<string, PodFacts>();
  private readonly accountPods = new Map<string, PodInfo | null>();

  constructor(private inventory: InventoryIndex, private readonly processes: ProcessTable) {}

  setInventory(inventory: InventoryIndex): void {
    this.inventory = inventory;
    this.podFacts.clear();
    this.accountPods.clear();
  }

  resolve(event: RuntimeEvent, timeMs: number): Observation {
    let pod: string | null = null;
    let facts: PodFacts | undefined;
    if (event.pod) {
      const cacheKey = event.pod.uid || event.pod.name;
      facts = this.podFacts.get(cacheKey);
      if (!facts || facts.namespace !== event.pod.namespace || facts.name !== event.pod.name) {
        facts = this.factsOf(`${event.pod.namespace}/${event.pod.name}`, event.pod.namespace, event.pod.name);
        this.podFacts.set(cacheKey, facts);
      }
      pod = facts.pod;
    } else if (event.kind === 'k8s.audit') {
      // The source address names the pod when the API server sees it unNATed; otherwise the service account does,
      // when exactly one workload runs under it.
      const viaIp = event.details.sourceIp ? this.inventory.podByIp(event.details.sourceIp) : undefined;
      const viaAccount = viaIp ? undefined : this.podOfServiceAccount(event.details.user);
      const source = viaIp ?? viaAccount;
      if (source) {
        pod = `${source.namespace}/${source.name}`;
        facts = this.factsOf(pod, source.namespace, source.name);
      }
    }
    const process = this.processes.observe(event, pod);
    const identity = event.kind === 'k8s.audit' ? event.details.user : (facts?.identity ?? null);
    return { event, timeMs, pod, workload: facts?.workload ?? null, process, identity };
  }

  private podOfServiceAccount(user: string) {
    const account = serviceAccountOf(user);
    if (!account) return undefined;
    let cached = this.accountPods.get(user);
    if (cached === undefined) {
      const pods = this.inventory.pods().filter((p) => p.namespace === account.namespace && p.serviceAccount === account.name).sort((a, b) => (a.name < b.name ? -1 : 1));
      cached = new Set(pods.map((p) => p.workload)).size === 1 ? pods[0]! : null;
      this.accountPods.set(user, cached);
    }
    return cached ?? undefined;
  }

  private factsOf(pod: string, namespace: string, name: string): PodFacts {
    let facts = this.podFacts.get(pod);
    if (!facts) {
      const info = this.inventory.pod(pod);
      facts = info
        ? { pod, namespace, name, workload: info.workload, identity: `system:serviceaccount:${namespace}:${info.serviceAccount}` }
        : { pod, namespace, name, workload: `${namespace}/${workloadNameFromPodName(name)}`, identity: null };
      this.podFacts.set(pod, facts);
    }
    return facts;
  }
}

/** The namespace and name of a service-account user, or null for other users. */
export function serviceAccountOf(user: string): { namespace: string; name: string } | null {
  const match = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
  return match ? { namespace: match[1]!, name: match[2]! } : null;
}
