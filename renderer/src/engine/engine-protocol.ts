// The messages between the renderer and its engine worker. The worker owns the heavy work — parsing and validating
// case files, writing events to the case store, running the analysis engine, binning the timeline — so the UI thread
// only draws. Each request carries an id; the worker answers with progress messages and exactly one result or error.
import type { RuntimeEvent } from '../../../shared/model/event.js';
import type { ExecutionGraph } from '../../../shared/model/graph.js';
import type { Story } from '../../../shared/model/story.js';
import type { Signal } from '../../../shared/model/signal.js';
import type { TimelineSeries } from './timeline-series.js';
import type { PolicyOutcome, WorkloadChoice } from './case-policies.js';
import type { QuarantinePeer } from '../../../shared/model/action.js';
import type { CycloneDxBom } from '../../../shared/engine/aibom.js';
import type { WorkloadPosture } from '../../../shared/model/workload-posture.js';

export interface CaseSummary {
  caseId: string;
  eventCount: number;
  firstTime: string | null;
  lastTime: string | null;
  /** Events without pod attribution: shown, counted, never hidden. */
  unattributedCount: number;
  countsByKind: Record<string, number>;
}

/** What the analysis engine computed from the case's events, or why it could not. */
export type Analysis =
  | {
      status: 'ready';
      graph: ExecutionGraph;
      stories: Story[];
      signals: Signal[];
      /**
       * Story ids that merged into an older story while this case was analysed, each with the id now holding its
       * steps: a link or selection naming an absorbed id can follow it. Story ids never change otherwise.
       */
      mergedStoryIds?: Record<string, string>;
    }
  | { status: 'unavailable'; reason: string };

export type WorkerRequest =
  | { type: 'open-case'; caseId: string }
  /** Events as NDJSON files, and optionally an inventory (a JSON array of InventorySnapshot, e.g. inventory.json). */
  | { type: 'import-files'; caseId: string; files: { blob: Blob; name: string }[] }
  | { type: 'append-events'; caseId: string; events: RuntimeEvent[] }
  | { type: 'analysis' }
  | { type: 'timeline' }
  | { type: 'events-by-id'; ids: string[] }
  | { type: 'search-events'; text: string; limit: number }
  /** The first `limit` events in [from, to] (ISO times), and how many there are in all. */
  | { type: 'events-in-range'; from: string; to: string; limit: number }
  | { type: 'workloads' }
  | { type: 'posture'; workload: string }
  /** Generated NetworkPolicy, seccomp and RBAC for a pod (`namespace/name`), each with its audit replay. */
  | { type: 'policies'; pod: string }
  /** The soft-quarantine allowlist of a workload: its baseline's egress destinations. */
  | { type: 'quarantine-peers'; workload: string }
  /** The runtime AI-BOM (CycloneDX 1.6) of the case, and the workloads the shadow-AI detector flagged. */
  | { type: 'aibom'; toolVersion: string };

export type ResultOf<R extends WorkerRequest['type']> = {
  'open-case': CaseSummary;
  'import-files': CaseSummary;
  'append-events': CaseSummary;
  analysis: Analysis;
  timeline: TimelineSeries;
  'events-by-id': RuntimeEvent[];
  'search-events': RuntimeEvent[];
  'events-in-range': { events: RuntimeEvent[]; total: number };
  workloads: WorkloadChoice[];
  posture: WorkloadPosture;
  policies: PolicyOutcome[];
  'quarantine-peers': QuarantinePeer[];
  aibom: { bom: CycloneDxBom; shadowWorkloads: string[] };
}[R];

export type ToWorker = { requestId: number; request: WorkerRequest } | { cancel: number };

export interface Progress {
  phase: 'reading' | 'validating' | 'storing' | 'analysing';
  done: number;
  /** Total work in the same unit as `done`, when known. */
  total: number | null;
}

export type FromWorker =
  | { requestId: number; progress: Progress }
  | { requestId: number; result: unknown }
  | { requestId: number; error: string; cancelled?: boolean }
  /** Pushed when the analysis changed (new events): views re-read what they show. */
  | { changed: CaseSummary };
