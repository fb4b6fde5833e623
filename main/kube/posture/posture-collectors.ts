// The collectors' evidence for a posture: every buffered event of each collector that can show an API call — a pod's
// connection to the API server or an HTTP request it made — read once (no follow). With --lab the lab's collector;
// with a context, the collectors Vigil discovers there, each reached by port-forward. A collector that cannot be read
// is reported and left out: the audit log still counts.
import type { RuntimeEvent } from '../../../shared/model/event.js';
import { CollectorClient } from '../../collector/collector-client.js';
import { targetFromLab, type CollectorTarget } from '../../collector/collector-target.js';
import { connectToCollectorPod } from '../../collector/discovery-connect.js';
import { discoverCollectors } from '../../collector/discovery-collector-pods.js';
import { credentialsFromSecret } from '../../collector/discovery-credentials.js';
import { readLabState } from '../../../test/lab/lab-state.js';
import type { KubeClient } from '../kube-client.js';

export interface CollectorEvidence {
  source: string;
  events: RuntimeEvent[];
}

/** Pod events that can show an API call; everything else is dropped while streaming, so memory stays small. */
export async function readApiEvidence(target: CollectorTarget, signal?: AbortSignal): Promise<RuntimeEvent[]> {
  const client = new CollectorClient(target);
  const events: RuntimeEvent[] = [];
  try {
    for await (const item of client.events({ signal })) {
      if (item.type !== 'event' || !item.event.pod) continue;
      if (item.event.kind === 'net.connect' || item.event.kind === 'http.request') events.push(item.event);
    }
  } finally {
    client.close();
  }
  return events;
}

export async function labCollectorEvidence(note: (line: string) => void): Promise<CollectorEvidence[]> {
  const lab = readLabState();
  if (!lab?.collector) {
    note(`the lab has no collector${lab?.collectorError ? ` (${lab.collectorError})` : ''}: the posture uses the audit log alone`);
    return [];
  }
  try {
    return [{ source: `collector ${lab.collector.url} (lab)`, events: await readApiEvidence(targetFromLab(lab.stateDir)) }];
  } catch (error) {
    note(`the lab's collector could not be read (${(error as Error).message}): the posture uses the audit log alone`);
    return [];
  }
}

export async function discoveredCollectorEvidence(client: KubeClient, note: (line: string) => void): Promise<CollectorEvidence[]> {
  let discovery;
  try {
    discovery = await discoverCollectors(client);
  } catch (error) {
    note(`could not look for collectors (${(error as Error).message}): the posture uses audit logs alone`);
    return [];
  }
  const evidence: CollectorEvidence[] = [];
  for (const pod of discovery.pods) {
    const where = `collector ${pod.namespace}/${pod.name} on ${pod.node}`;
    if (!pod.ready) {
      note(`${where} is not ready (${pod.notReadyReason}): its node's API calls are not in the posture`);
      continue;
    }
    const daemonSet = discovery.daemonSets.find((d) => d.namespace === pod.namespace && d.name === pod.daemonSet)!;
    try {
      const credentials = await credentialsFromSecret(client, daemonSet.namespace, daemonSet.secretName);
      const connected = await connectToCollectorPod(client, pod, credentials, 'port-forward');
      try {
        evidence.push({ source: where, events: await readApiEvidence(connected.target) });
      } finally {
        await connected.close();
      }
    } catch (error) {
      note(`${where} could not be read (${(error as Error).message}): its node's API calls are not in the posture`);
    }
  }
  if (discovery.daemonSets.length === 0) note(`no Vigil collector in ${discovery.searched}: the posture uses audit logs alone`);
  return evidence;
}
