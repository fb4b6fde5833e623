// The engine worker: runs requests from the renderer against the open case (see engine-protocol.ts). One request
// runs at a time, in arrival order; a cancel message marks a request so its next checkpoint stops it.
/// <reference lib="webworker" />
import { CaseSession, type WorkContext } from './case-session.js';
import { policiesFor, postureOf, workloadChoices } from './case-policies.js';
import { peersFromBaseline } from './quarantine-peers.js';
import { buildAiBom } from '../../../shared/engine/aibom.js';
import type { FromWorker, ToWorker, WorkerRequest } from './engine-protocol.js';

declare const self: DedicatedWorkerGlobalScope;

class Cancelled extends Error {}

let session: CaseSession | null = null;
const cancelled = new Set<number>();
let queue: Promise<void> = Promise.resolve();

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function requireSession(): CaseSession {
  if (!session) throw new Error('no case is open: import an events file or open a case first');
  return session;
}

async function run(requestId: number, request: WorkerRequest, work: WorkContext): Promise<unknown> {
  switch (request.type) {
    case 'open-case': {
      const next = new CaseSession(request.caseId);
      const summary = await next.load(work);
      session = next;
      return summary;
    }
    case 'import-files': {
      const next = new CaseSession(request.caseId);
      const summary = await next.importFiles(request.files, work);
      session = next;
      return summary;
    }
    case 'append-events': {
      if (!session || session.caseId !== request.caseId) session = new CaseSession(request.caseId);
      const summary = await session.append(request.events);
      post({ changed: summary });
      return summary;
    }
    case 'analysis':
      return session ? session.analysis() : { status: 'unavailable', reason: 'no case is open' };
    case 'timeline':
      return requireSession().timelineSeries();
    case 'events-by-id':
      return requireSession().eventsById(request.ids);
    case 'events-in-range':
      return requireSession().eventsInRange(request.from, request.to, request.limit);
    case 'workloads':
      return session ? workloadChoices(session.analysisEngine) : [];
    case 'posture':
      return postureOf(requireSession().analysisEngine, request.workload);
    case 'policies':
      return policiesFor(requireSession().analysisEngine, request.pod);
    case 'quarantine-peers': {
      const profile = requireSession().analysisEngine.baselineOf(request.workload);
      return profile ? peersFromBaseline(profile.toJSON().egressAddresses) : [];
    }
    case 'aibom': {
      const engine = requireSession().analysisEngine;
      const summary = requireSession().currentSummary();
      const bom = buildAiBom(engine.aiUsage, { toolVersion: request.toolVersion, asOf: summary.lastTime });
      const shadowWorkloads = [...new Set(engine.signalList().filter((s) => s.detector === 'shadow-ai' && s.workload).map((s) => s.workload!))].sort();
      return { bom, shadowWorkloads };
    }
    case 'search-events':
      return requireSession().search(request.text, request.limit);
  }
  throw new Error(`unknown request ${(request as { type: string }).type} (${requestId})`);
}

self.onmessage = (message: MessageEvent<ToWorker>) => {
  const data = message.data;
  if ('cancel' in data) {
    cancelled.add(data.cancel);
    return;
  }
  const { requestId, request } = data;
  const work: WorkContext = {
    progress: (progress) => post({ requestId, progress }),
    checkpoint: async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (cancelled.has(requestId)) throw new Cancelled('cancelled');
    },
  };
  queue = queue.then(async () => {
    try {
      if (cancelled.has(requestId)) throw new Cancelled('cancelled');
      const result = await run(requestId, request, work);
      post({ requestId, result });
    } catch (error) {
      const isCancel = error instanceof Cancelled;
      post({ requestId, error: isCancel ? 'cancelled: nothing was changed' : String((error as Error)?.message ?? error), cancelled: isCancel });
    } finally {
      cancelled.delete(requestId);
    }
  });
};
