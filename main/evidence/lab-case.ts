// The running lab as bundle content (`vigil evidence export --lab`): the collector's buffered events (GET
// /v1/events from the first cursor, with the lab CA and the collector token), the API server's audit log as
// k8s.audit events, an inventory snapshot listed with the responder's context, and the lab's action log. Every
// request made is recorded in queries.jsonl. A lab case is small, so its events are gathered and sorted in memory
// (collector and audit events arrive from two sources and the engine wants them in time order).
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { compareEvents, runtimeEventSchema, type RuntimeEvent } from '../../shared/model/event.js';
import type { OmittedFile, QueryRecord } from '../../shared/evidence/case-record.js';
import { readLabState } from '../../test/lab/lab-state.js';
import { ClusterInventory } from '../kube/cluster-inventory.js';
import { resolveKubeTarget } from '../kube/kube-target.js';
import { auditLineToEvent } from '../kube/posture/audit-events.js';
import { CaseReadError } from './case-folder.js';
import type { EvidenceContent } from './evidence-content.js';

interface CollectorRead {
  events: RuntimeEvent[];
  gaps: number;
  status: number;
}

/** Reads every event the collector still buffers (no follow), validating each. */
function readCollectorEvents(url: string, token: string, ca: string): Promise<CollectorRead> {
  return new Promise((resolve, reject) => {
    const request = https.get(new URL('/v1/events?after=0', url), { ca, headers: { authorization: `Bearer ${token}` }, timeout: 60_000 }, (response) => {
      const out: CollectorRead = { events: [], gaps: 0, status: response.statusCode ?? 0 };
      if (response.statusCode !== 200) {
        response.resume();
        reject(new CaseReadError(`the collector at ${url} answered ${response.statusCode} to GET /v1/events`));
        return;
      }
      let pending = '';
      let lineNumber = 0;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop()!;
        for (const line of lines) {
          lineNumber++;
          if (line.trim() === '') continue;
          const message = JSON.parse(line) as { type: string; event?: unknown; missed?: number };
          if (message.type === 'gap') out.gaps += message.missed ?? 0;
          if (message.type !== 'event') continue;
          const parsed = runtimeEventSchema.safeParse(message.event);
          if (!parsed.success) {
            request.destroy(new CaseReadError(`collector event on line ${lineNumber} is not a Vigil event (${parsed.error.issues[0]?.message})`));
            return;
          }
          out.events.push(parsed.data);
        }
      });
      response.on('end', () => resolve(out));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new CaseReadError(`the collector at ${url} did not answer within 60 s`)));
    request.on('error', (error) => reject(error instanceof CaseReadError ? error : new CaseReadError(`cannot read the collector at ${url}: ${error.message}`)));
  });
}

async function readOptionalText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function readLabCase(): Promise<EvidenceContent> {
  const state = readLabState();
  if (!state) throw new CaseReadError('the lab is not up (run `vigil lab up`)');
  const target = resolveKubeTarget({ lab: true, as: 'responder' });
  const queries: QueryRecord[] = [];
  const omitted: OmittedFile[] = [];
  const now = () => new Date().toISOString();

  const inventory = new ClusterInventory(target.client, { clusterId: target.context.id, watch: false });
  await inventory.start();
  for (const coverage of inventory.coverage()) {
    queries.push({ time: now(), target: 'kubernetes-api', operation: 'LIST', request: `${coverage.kind} in all namespaces (paginated: limit/continue)`, context: target.context.name, status: coverage.error ? coverage.error.slice(0, 64) : 'ok' });
  }
  const snapshot = inventory.snapshot();

  const events: RuntimeEvent[] = [];
  if (state.collector) {
    const [token, ca] = await Promise.all([readFile(state.collector.tokenFile, 'utf8'), readFile(state.collector.caFile, 'utf8')]);
    const read = await readCollectorEvents(state.collector.url, token.trim(), ca);
    queries.push({ time: now(), target: 'collector', operation: 'GET', request: `${state.collector.url}/v1/events?after=0`, status: read.status });
    for (const event of read.events) events.push(event);
    if (read.gaps > 0) omitted.push({ path: 'events/events.ndjson', reason: `${read.gaps} events had already left the collector's buffer and are not in this bundle` });
  } else {
    omitted.push({ path: 'events/events.ndjson', reason: `no collector events: the lab's collector is not running${state.collectorError ? ` (${state.collectorError})` : ''}` });
  }
  const audit = await readOptionalText(state.auditLog);
  if (audit !== null) {
    queries.push({ time: now(), target: 'other', operation: 'read', request: `API server audit log ${state.auditLog}` });
    for (const line of audit.split('\n')) {
      if (line.trim() === '') continue;
      const result = auditLineToEvent(line);
      if ('event' in result) events.push(result.event);
    }
  }
  events.sort(compareEvents);

  return {
    caseId: `lab-${state.startedAt.replace(/[^0-9]/g, '').slice(0, 14)}`,
    title: `Vigil lab case (lab up since ${state.startedAt})`,
    source: { kind: 'lab', location: state.stateDir },
    events: async function* () {
      for (const event of events) yield { event };
    },
    inventory: [snapshot],
    actionLog: await readOptionalText(target.actionLogFile),
    notes: [],
    queries,
    engine: {},
    omitted,
  };
}
