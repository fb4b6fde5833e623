// The collectors' evidence for a posture: every buffered event of each collector that can show an API call — a pod's
// connection to the API server or an HTTP request it made — read once (no follow). With --lab the lab's collector;
// with a context, the collectors Vigil discovers there, each reached by port-forward. A collector that cannot be read
// is reported and left out: the audit log still counts.
import type { RuntimeEvent } from '../../../shared/model/event.js';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { streamMessageSchema } from '../../../shared/collector-api/messages.js';
import { ndjsonLines } from '../../collector/ndjson-lines.js';
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

/** The kinds that can show an API call, as they appear in the collector's compact JSON (with or without a space). */
const WANTED_KINDS = ['net.connect', 'http.request'].flatMap((kind) => [`"kind":"${kind}"`, `"kind": "${kind}"`]);

/**
 * Pod events that can show an API call, read from the collector's buffer once. The stream is read here rather than
 * through CollectorClient.events because a busy node buffers hundreds of thousands of events and validating each
 * costs seconds: a line that cannot hold a wanted kind is skipped unparsed (and unused); every line that is used is
 * parsed and validated with the shared schema, and the stream must end with its end marker.
 */
export async function readApiEvidence(target: CollectorTarget, signal?: AbortSignal): Promise<RuntimeEvent[]> {
  const agent = new https.Agent({ ca: target.ca });
  const url = new URL('/v1/events', target.url);
  const where = `the collector at ${target.url}`;
  try {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = https.get(url, { agent, signal, headers: { authorization: `Bearer ${target.token}`, accept: 'application/x-ndjson' } }, resolve);
      request.setTimeout(30_000, () => request.destroy(new Error(`no answer from ${where} within 30 s`)));
      request.on('error', reject);
    });
    if (response.statusCode !== 200) {
      let text = '';
      for await (const chunk of response) text += chunk;
      throw new Error(`GET /v1/events from ${where}: ${response.statusCode} ${text.slice(0, 200)}`);
    }
    const events: RuntimeEvent[] = [];
    for await (const line of ndjsonLines(response)) {
      const wanted = WANTED_KINDS.some((kind) => line.includes(kind));
      // Events are long; markers (end, gap, heartbeat) are short lines without an event in them.
      if (!wanted && line.includes('"event"')) continue;
      const parsed = streamMessageSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${where} sent a message that does not match the v1 schema: ${parsed.error.message.slice(0, 300)}`);
      const message = parsed.data;
      if (message.type === 'end') return events;
      if (message.type === 'event' && message.event.pod && (message.event.kind === 'net.connect' || message.event.kind === 'http.request')) events.push(message.event);
    }
    throw new Error(`the event stream of ${where} ended before its end marker`);
  } finally {
    agent.destroy();
  }
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
