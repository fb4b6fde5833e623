// The node-level step of a quarantine: the collector on the pod's node enforces an egress allowlist (soft) or denies
// everything but DNS (hard) on the pod's containers, with a cgroup eBPF program — traffic a NetworkPolicy alone cannot
// stop where the cluster's CNI does not enforce policies. The collector offers it as PUT/DELETE
// /v1/enforcement/<containerId>; Vigil reaches it through main/collector's client.
import type { NodeStep, QuarantinePeer } from '../../../shared/model/action.js';

export interface NodeEnforcementRequest {
  node: string;
  /** Container ids of the pod (64 hex digits, without the runtime prefix). */
  containerIds: string[];
  mode: 'egress-allowlist' | 'deny-all';
  /** For the allowlist: the baseline peers (address blocks; pod peers are resolved by the NetworkPolicy only). */
  allow: QuarantinePeer[];
}

export interface NodeEnforcer {
  /** What this enforcer talks to, for the record ("collector at https://…"). */
  readonly description: string;
  apply(request: NodeEnforcementRequest): Promise<NodeStep>;
  release(request: Pick<NodeEnforcementRequest, 'node' | 'containerIds'>): Promise<NodeStep>;
}

/**
 * Used when no collector is connected for the cluster: the step is recorded as 'unavailable' — plainly, never as
 * done — and the Kubernetes part of the quarantine stands on its own.
 */
export class NoCollectorEnforcer implements NodeEnforcer {
  readonly description = 'no collector connected';
  constructor(private readonly why = 'no Vigil collector is connected for this cluster, so the node-level step was not taken') {}

  async apply(request: NodeEnforcementRequest): Promise<NodeStep> {
    return { mode: request.mode, containerIds: request.containerIds, status: 'unavailable', detail: this.why };
  }

  async release(request: Pick<NodeEnforcementRequest, 'node' | 'containerIds'>): Promise<NodeStep> {
    return { mode: 'release', containerIds: request.containerIds, status: 'unavailable', detail: this.why };
  }
}

/** Container ids from a Pod's status ("containerd://<64 hex>" → "<64 hex>"). */
export function podContainerIds(pod: { status?: unknown }): string[] {
  const status = pod.status as { containerStatuses?: { containerID?: string }[]; initContainerStatuses?: { containerID?: string }[] } | undefined;
  return [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])]
    .map((c) => c.containerID?.replace(/^[a-z0-9-]+:\/\//, '') ?? '')
    .filter((id) => /^[0-9a-f]{64}$/.test(id));
}
