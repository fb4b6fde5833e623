// `clusters.list`: the contexts of the user's kubeconfig files and of the running lab, each probed once with an
// authenticated GET /version, and the lab collector's health and loss counters. Credentials stay here; the renderer
// gets names, servers and states only.
import { readFileSync } from 'node:fs';
import type { Clusters } from '../../shared/api/contract.js';
import { KubeconfigSet } from '../kube/kubeconfig-contexts.js';
import { probeConnection } from '../kube/connection-state.js';
import { readLabState } from '../../test/lab/lab-state.js';
import { CollectorClient } from '../collector/collector-client.js';
import { targetFromLab } from '../collector/collector-target.js';

// Generous: a loaded laptop (or CI machine) can take seconds to answer even on loopback.
const PROBE_TIMEOUT_MS = 6_000;

async function contextsOf(set: KubeconfigSet, source: 'kubeconfig' | 'lab'): Promise<Clusters['contexts']> {
  return Promise.all(
    set.contexts.map(async (context) => {
      let connection: Clusters['contexts'][number]['connection'];
      try {
        connection = await probeConnection(set.client(context.name, PROBE_TIMEOUT_MS), PROBE_TIMEOUT_MS);
      } catch (error) {
        connection = { state: 'error', message: (error as Error).message };
      }
      return {
        id: context.id, name: context.name, source, file: context.file, server: context.server, user: context.user,
        ...(context.namespace ? { namespace: context.namespace } : {}), auth: context.auth, current: context.current, connection,
      };
    }),
  );
}

/** vigil_* counters from the collector's Prometheus text: drops, parse failures, unattributed events. */
export function vigilCounters(metrics: string): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const line of metrics.split('\n')) {
    const match = /^(vigil_[a-zA-Z0-9_]+(?:\{[^}]*\})?)\s+([0-9.eE+-]+)$/.exec(line.trim());
    if (match) counters[match[1]!] = Number(match[2]);
  }
  return counters;
}

async function labCollector(): Promise<Clusters['collector']> {
  const state = readLabState();
  if (!state) return null;
  if (!state.collector) return { state: 'not-running', url: null, message: state.collectorError ?? 'the lab is up but its collector is not running' };
  const client = new CollectorClient(targetFromLab(state.stateDir));
  try {
    const health = await client.health();
    const metrics = await client.metrics().catch(() => '');
    return {
      state: 'healthy', url: state.collector.url, node: health.node, podsSynced: health.podsSynced, enforcement: health.enforcement, tls: health.tls,
      bufferedEvents: Math.max(0, health.buffer.newestCursor - health.buffer.oldestCursor), newestCursor: health.buffer.newestCursor,
      counters: vigilCounters(metrics),
    };
  } catch (error) {
    return { state: 'unreachable', url: state.collector.url, message: (error as Error).message };
  } finally {
    client.close();
  }
}

export async function listClusters(env: NodeJS.ProcessEnv = process.env): Promise<Clusters> {
  const user = KubeconfigSet.fromEnvironment(env);
  const lab = readLabState();
  const labSet = lab && readable(lab.kubeconfig) ? new KubeconfigSet([lab.kubeconfig]) : null;
  const [userContexts, labContexts, collector] = await Promise.all([contextsOf(user, 'kubeconfig'), labSet ? contextsOf(labSet, 'lab') : [], labCollector()]);
  return {
    contexts: [...labContexts, ...userContexts.filter((c) => !labContexts.some((l) => l.id === c.id))],
    problems: [...user.problems, ...(labSet?.problems ?? [])],
    collector,
    checkedAt: new Date().toISOString(),
  };
}

function readable(file: string): boolean {
  try {
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}
