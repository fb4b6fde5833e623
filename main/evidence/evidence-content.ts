// What goes into a bundle, independent of where it came from (a case folder, the lab, the app's case store).
import type { RuntimeEvent } from '../../shared/model/event.js';
import type { InventorySnapshot } from '../../shared/model/inventory.js';
import type { Note, OmittedFile, QueryRecord } from '../../shared/evidence/case-record.js';

export interface EngineOutputs {
  graph?: unknown;
  aibom?: unknown;
  stories?: unknown;
  /** Generated policies as the text they would be applied with (YAML), by file name. */
  policies?: { fileName: string; text: string }[];
  /** Audit-mode replays of those policies, by file name (`.json`). */
  replays?: { fileName: string; value: unknown }[];
}

/** A validated event, with the JSON text it was read from when it came from a file (written as is, saving work). */
export interface EventRecord {
  event: RuntimeEvent;
  text?: string;
}

export interface EvidenceContent {
  caseId: string;
  title: string;
  source: { kind: 'case' | 'lab'; location: string };
  /** Validated events, streamed: a case can hold millions. */
  events(): AsyncIterable<EventRecord>;
  inventory: InventorySnapshot[];
  /** The action log exactly as stored (hash-chained JSON lines), or null when the case has none. */
  actionLog: string | null;
  notes: Note[];
  queries: QueryRecord[];
  /** Engine outputs, or a function giving them once the events have been read (derived while exporting). */
  engine: EngineOutputs | (() => EngineOutputs);
  /** Files the layout defines that this content cannot provide, with the reason. */
  omitted: OmittedFile[];
}

export interface ExportProgress {
  phase: 'events' | 'files' | 'signing' | 'done';
  /** Events written so far (phase events), or files written (phase files). */
  done: number;
}
