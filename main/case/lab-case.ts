// `--lab`: a case read live from the running lab — every event the lab's collector still buffers, the API server's
// audit log as k8s.audit events, and the cluster's inventory listed with the admin context. Collector gaps (events
// that fell out of its buffer) are counted and reported, never hidden.
import { readLabState } from '../../test/lab/lab-state.js';
import { CollectorClient } from '../collector/collector-client.js';
import { CollectorTargetError, targetFromLab } from '../collector/collector-target.js';
import { ClusterInventory } from '../kube/cluster-inventory.js';
import { resolveKubeTarget } from '../kube/kube-target.js';
import { readAuditLog } from '../kube/posture/audit-log-file.js';
import type { RuntimeEvent } from '../../shared/model/event.js';
import { CaseLoadError, type LoadedCase } from './load-case.js';

export interface LabCase extends LoadedCase {
  missedEvents: number;
  auditEvents: number;
}

export async function loadLabCase(signal?: AbortSignal): Promise<LabCase> {
  const lab = readLabState();
  if (!lab) throw new CaseLoadError('no lab is running (no state.json): run `vigil lab up` first. Nothing was loaded.');
  let target;
  try {
    target = targetFromLab();
  } catch (error) {
    if (error instanceof CollectorTargetError) throw new CaseLoadError(`${error.message}. Nothing was loaded.`);
    throw error;
  }
  const client = new CollectorClient(target);
  const events: RuntimeEvent[] = [];
  let missedEvents = 0;
  try {
    for await (const item of client.events({ follow: false, signal, maxReconnects: 3 })) {
      if (item.type === 'event') events.push(item.event);
      else if (item.type === 'gap') missedEvents += item.missed;
    }
  } finally {
    client.close();
  }
  const audit = lab.auditLog ? await readAuditLog(lab.auditLog) : { events: [] };
  const seen = new Set(events.map((e) => e.id));
  for (const event of audit.events) if (!seen.has(event.id)) events.push(event);
  const kube = resolveKubeTarget({ lab: true, as: 'admin' });
  const inventory = new ClusterInventory(kube.client, { clusterId: kube.context.id, watch: false });
  await inventory.start();
  return { source: `lab ${lab.stateDir}`, events, inventory: [inventory.snapshot()], actions: [], missedEvents, auditEvents: audit.events.length };
}
