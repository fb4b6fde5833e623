// The node-level step through a Vigil collector's enforcement API (main/collector's client): soft quarantine puts an
// egress allowlist (the baseline's address blocks, plus DNS) on each of the pod's containers, hard quarantine denies
// everything but DNS; release removes it. The collector enforces per container cgroup, by address and port only.
import type { NodeStep, QuarantinePeer } from '../../../shared/model/action.js';
import type { EnforcementRequest } from '../../../shared/collector-api/messages.js';
import { CollectorClient, CollectorError } from '../../collector/collector-client.js';
import type { CollectorTarget } from '../../collector/collector-target.js';
import type { NodeEnforcementRequest, NodeEnforcer } from './node-enforcer.js';

/** The collector's allowlist for the baseline: address blocks with their ports; pod peers cannot be expressed. */
export function enforcementRequestFor(request: Pick<NodeEnforcementRequest, 'mode' | 'allow'>): { body: EnforcementRequest; notes: string[] } {
  if (request.mode === 'deny-all') return { body: { mode: 'enforce', policy: 'deny-all-but-dns' }, notes: ['the collector still lets DNS through (deny-all-but-dns)'] };
  const notes: string[] = [];
  const allow: NonNullable<EnforcementRequest['allow']> = [];
  for (const peer of request.allow as QuarantinePeer[]) {
    if (!peer.cidr) {
      notes.push(`peer ${JSON.stringify({ namespace: peer.namespace, podLabels: peer.podLabels })} is pods, not addresses: only the NetworkPolicy allows it, the node-level allowlist does not`);
      continue;
    }
    const ports = [...new Set((peer.ports ?? []).filter((p) => p.endPort === undefined).map((p) => p.port))];
    if (peer.ports?.some((p) => p.endPort !== undefined)) notes.push(`${peer.cidr}: port ranges are allowed on every port at node level`);
    allow.push({ cidr: peer.cidr, ...(ports.length > 0 && !peer.ports?.some((p) => p.endPort !== undefined) ? { ports: ports.slice(0, 8) } : {}) });
  }
  return { body: { mode: 'enforce', policy: 'allowlist', allow }, notes };
}

export class CollectorNodeEnforcer implements NodeEnforcer {
  readonly description: string;
  private readonly client: CollectorClient;

  constructor(target: CollectorTarget) {
    this.client = new CollectorClient(target);
    this.description = `collector at ${target.url}`;
  }

  async apply(request: NodeEnforcementRequest): Promise<NodeStep> {
    if (request.containerIds.length === 0) {
      return { mode: request.mode, containerIds: [], status: 'failed', detail: "the pod's status names no container ids, so the collector cannot find its cgroups" };
    }
    const { body, notes } = enforcementRequestFor(request);
    const applied: string[] = [];
    for (const id of request.containerIds) {
      try {
        await this.client.enforce(id, body);
        applied.push(id);
      } catch (error) {
        // Undo the containers already done, so the node is not left half-enforced.
        const undone = await Promise.all(applied.map((done) => this.client.release(done).then(() => done, () => `${done} (release failed)`)));
        const message = error instanceof CollectorError ? error.message : String(error);
        return { mode: request.mode, containerIds: request.containerIds, status: 'failed', detail: `${this.description}: container ${id}: ${message}; released again: ${undone.join(', ') || 'none'}` };
      }
    }
    return { mode: request.mode, containerIds: request.containerIds, status: 'applied', detail: [`${this.description}: ${body.policy} enforced on ${applied.length} container(s)`, ...notes].join('; ') };
  }

  async release(request: Pick<NodeEnforcementRequest, 'node' | 'containerIds'>): Promise<NodeStep> {
    const problems: string[] = [];
    for (const id of request.containerIds) {
      try {
        await this.client.release(id);
      } catch (error) {
        // Already released (the collector restarted without its pins, or someone released it): the goal is met.
        if (error instanceof CollectorError && error.status === 404) continue;
        problems.push(`container ${id}: ${(error as Error).message}`);
      }
    }
    return {
      mode: 'release',
      containerIds: request.containerIds,
      status: problems.length === 0 ? 'applied' : 'failed',
      detail: problems.length === 0 ? `${this.description}: enforcement removed from ${request.containerIds.length} container(s)` : `${this.description}: ${problems.join('; ')}`,
    };
  }
}
