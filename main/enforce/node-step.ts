// The node-level part of enforcement: the collector's cgroup egress program on every container of the workload, in
// audit mode (count what would be dropped) or enforce mode (drop it). Recorded as done only when the collector says so.
import type { NodeStep } from '../../shared/model/action.js';
import type { InventoryIndex } from '../../shared/engine/inventory-index.js';
import type { EnforcementRequest } from '../../shared/collector-api/messages.js';
import { podContainerIds } from '../kube/quarantine/node-enforcer.js';
import type { EnforcementContext } from './enforcement-context.js';

export function workloadContainerIds(inventory: InventoryIndex, pods: string[]): string[] {
  return pods.flatMap((key) => {
    const info = inventory.pod(key);
    return info ? podContainerIds(info.object) : [];
  });
}

/** Takes the workload's containers out of node-level enforcement altogether. */
export async function releaseNode(ctx: EnforcementContext, containerIds: string[]): Promise<NodeStep> {
  if (!ctx.collector) return { mode: 'release', containerIds, status: 'unavailable', detail: 'no Vigil collector is connected for this cluster' };
  const failures: string[] = [];
  for (const id of containerIds) {
    try {
      await ctx.collector.release(id);
    } catch (error) {
      failures.push(`${id.slice(0, 12)}: ${(error as Error).message}`);
    }
  }
  if (failures.length) return { mode: 'release', containerIds, status: 'failed', detail: `the collector could not release ${failures.join('; ')}` };
  return { mode: 'release', containerIds, status: 'applied', detail: `node-level enforcement removed from ${containerIds.length} container(s)` };
}

export async function setNodeMode(ctx: EnforcementContext, containerIds: string[], mode: 'audit' | 'enforce', allow: NonNullable<EnforcementRequest['allow']>): Promise<NodeStep> {
  if (!ctx.collector) {
    return { mode: 'egress-allowlist', containerIds, status: 'unavailable', detail: `no Vigil collector is connected for this cluster, so the node-level ${mode} step was not taken` };
  }
  if (containerIds.length === 0) return { mode: 'egress-allowlist', containerIds, status: 'failed', detail: 'the workload has no running container with a container id' };
  const failures: string[] = [];
  for (const id of containerIds) {
    try {
      await ctx.collector.enforce(id, { mode, policy: 'allowlist', allow });
    } catch (error) {
      failures.push(`${id.slice(0, 12)}: ${(error as Error).message}`);
    }
  }
  if (failures.length) return { mode: 'egress-allowlist', containerIds, status: 'failed', detail: `the collector refused ${mode} mode on ${failures.length} container(s): ${failures.join('; ')}` };
  return { mode: 'egress-allowlist', containerIds, status: 'applied', detail: `egress allowlist of ${allow.length} destination(s) in ${mode} mode on ${containerIds.length} container(s) (${ctx.collector.target.url})` };
}
