// The evidence an enforcement decision rests on, read live from the cluster: the inventory (listed once), every
// event the collector still holds, and the API server's audit log (who called which API — what RBAC replay needs).
// Events are read to the collector's current end, not followed.
import type { RuntimeEvent } from '../../shared/model/event.js';
import type { InventorySnapshot } from '../../shared/model/inventory.js';
import { ClusterInventory } from '../kube/cluster-inventory.js';
import type { KubeClient } from '../kube/kube-client.js';
import { readAuditLog } from '../kube/posture/audit-log-file.js';
import { CollectorClient } from '../collector/collector-client.js';
import type { CollectorTarget } from '../collector/collector-target.js';

export interface LiveCaseSources {
  client: KubeClient;
  clusterId: string;
  collector?: CollectorTarget;
  auditLogs: string[];
}

export interface LiveCase {
  events: RuntimeEvent[];
  inventory: InventorySnapshot[];
  /** What could not be read, in words, so a plan never silently rests on less evidence than it seems to. */
  gaps: string[];
}

export async function readLiveCase(sources: LiveCaseSources, signal?: AbortSignal): Promise<LiveCase> {
  const gaps: string[] = [];
  const inventory = new ClusterInventory(sources.client, { clusterId: sources.clusterId, watch: false });
  await inventory.start();
  for (const kind of inventory.coverage()) if (kind.error) gaps.push(`${kind.kind}: ${kind.error}`);
  const snapshot = inventory.snapshot();
  inventory.stop();

  const events: RuntimeEvent[] = [];
  if (sources.collector) {
    const collector = new CollectorClient(sources.collector);
    try {
      for await (const item of collector.events({ follow: false, ...(signal ? { signal } : {}) })) {
        if (item.type === 'event') events.push(item.event);
        else if (item.type === 'gap') gaps.push(`${item.missed} collector events left its buffer before they were read`);
      }
    } finally {
      collector.close();
    }
  } else {
    gaps.push('no collector connected: no runtime events (network, syscalls) — only the audit log');
  }
  for (const file of sources.auditLogs) {
    try {
      events.push(...(await readAuditLog(file)).events);
    } catch (error) {
      gaps.push(`audit log ${file}: ${(error as Error).message}`);
    }
  }
  return { events, inventory: [snapshot], gaps };
}
