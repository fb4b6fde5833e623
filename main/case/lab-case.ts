// `--lab`: a case read live from the running lab — every event the lab's collector still buffers, the API server's
// audit log as k8s.audit events, and the cluster's inventory listed with the admin context. Collector gaps (events
// that fell out of its buffer) are counted and reported, never hidden.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readLabState } from '../../test/lab/lab-state.js';
import { CollectorClient } from '../collector/collector-client.js';
import { CollectorTargetError, targetFromFiles, targetFromLab, type CollectorTarget } from '../collector/collector-target.js';
import { ClusterInventory } from '../kube/cluster-inventory.js';
import { resolveKubeTarget } from '../kube/kube-target.js';
import { readAuditLog } from '../kube/posture/audit-log-file.js';
import type { RuntimeEvent } from '../../shared/model/event.js';
import { CaseLoadError, type LoadedCase } from './load-case.js';

export interface LabCase extends LoadedCase {
  missedEvents: number;
  auditEvents: number;
  /** The lab's latest successful `baseline-traffic` run: the period its baselines should learn from. */
  baselineRun?: { startedAt: string; endedAt: string };
}

/** The latest successful baseline-traffic run recorded in the lab's scenario-runs.jsonl, if any. */
export function latestBaselineRun(stateDir: string): { startedAt: string; endedAt: string } | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(stateDir, 'scenario-runs.jsonl'), 'utf8');
  } catch {
    return undefined;
  }
  let latest: { startedAt: string; endedAt: string } | undefined;
  for (const line of text.split('\n')) {
    try {
      const run = JSON.parse(line) as { name?: string; ok?: boolean; startedAt?: string; endedAt?: string };
      if (run.name === 'baseline-traffic' && run.ok && typeof run.startedAt === 'string' && typeof run.endedAt === 'string' && (!latest || run.endedAt > latest.endedAt)) {
        latest = { startedAt: run.startedAt, endedAt: run.endedAt };
      }
    } catch {
      // a torn last line while a run is being appended: ignore it
    }
  }
  return latest;
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
  const { events, missedEvents } = await readCollector(target, signal);
  const audit = lab.auditLog ? await readAuditLog(lab.auditLog) : { events: [] };
  const seen = new Set(events.map((e) => e.id));
  for (const event of audit.events) if (!seen.has(event.id)) events.push(event);
  const kube = resolveKubeTarget({ lab: true, as: 'admin' });
  const inventory = new ClusterInventory(kube.client, { clusterId: kube.context.id, watch: false });
  await inventory.start();
  return { source: `lab ${lab.stateDir}`, events, inventory: [inventory.snapshot()], actions: [], missedEvents, auditEvents: audit.events.length, baselineRun: latestBaselineRun(lab.stateDir) };
}

/** Every event a collector still buffers (the stream read to its end, not followed). */
async function readCollector(target: CollectorTarget, signal?: AbortSignal): Promise<{ events: RuntimeEvent[]; missedEvents: number }> {
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
  return { events, missedEvents };
}

/** `--collector URL --collector-token FILE --collector-ca FILE`: the events of any collector (no inventory, no audit). */
export async function loadCollectorCase(url: string, tokenFile: string, caFile: string, signal?: AbortSignal): Promise<LabCase> {
  let target: CollectorTarget;
  try {
    target = targetFromFiles(url, tokenFile, caFile);
  } catch (error) {
    if (error instanceof CollectorTargetError) throw new CaseLoadError(`${error.message}. Nothing was loaded.`);
    throw error;
  }
  const { events, missedEvents } = await readCollector(target, signal);
  return { source: `collector ${url}`, events, inventory: [], actions: [], missedEvents, auditEvents: 0 };
}
