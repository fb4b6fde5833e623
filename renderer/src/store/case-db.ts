// The case store: everything a responder gathers in one investigation, persisted in IndexedDB through Dexie so a case
// reopens after a restart exactly as it was. The schema is versioned; each version states its stores and, when data
// must change shape, an upgrade function. Never edit a published version — add the next one.
import Dexie, { type EntityTable } from 'dexie';
import type { RuntimeEvent } from '../../../shared/model/event.js';
import type { InventorySnapshot } from '../../../shared/model/inventory.js';

export interface CaseRecord {
  id: string;
  title: string;
  /** live: fed by clusters and collectors; import: events read from an NDJSON file; bundle: opened read-only from an evidence file. */
  mode: 'live' | 'import' | 'bundle';
  createdAt: string;
  updatedAt: string;
  /** Kubeconfig contexts (by stable cluster id) the case draws from. */
  clusterIds: string[];
  status: 'open' | 'contained' | 'closed';
  /** The inventory snapshots the case was analysed with (imported with its events), if any. */
  inventory?: InventorySnapshot[];
  /** Live cases: the collector cursor of the last stored event, to resume following after it. */
  liveCursor?: string;
}

export interface StoredEvent {
  caseId: string;
  id: string;
  time: string;
  kind: RuntimeEvent['kind'];
  /** `namespace/name` of the pod, or '' when unattributed: indexed for per-workload views. */
  podKey: string;
  event: RuntimeEvent;
}

export interface EntityRecord {
  caseId: string;
  id: string;
  kind: 'agent' | 'tool' | 'api' | 'data' | 'identity' | 'workload';
  label: string;
  firstSeen: string;
  lastSeen: string;
}

export interface StoryRecord {
  caseId: string;
  id: string;
  title: string;
  severity: 'info' | 'low' | 'medium' | 'high' | 'critical';
  score: number;
  firstSeen: string;
  /** The responder's verdict. */
  verdict: 'unreviewed' | 'true-positive' | 'false-positive';
  body: unknown;
}

export interface ActionRecord {
  caseId: string;
  seq: number;
  time: string;
  action: string;
  target: string;
  hash: string;
  entry: unknown;
}

export interface NoteRecord {
  id?: number;
  caseId: string;
  /** What the note is about: a story id, an entity id, or '' for the case itself. */
  subject: string;
  author: string;
  text: string;
  createdAt: string;
  updatedAt: string;
}

export type CaseDatabase = Dexie & {
  cases: EntityTable<CaseRecord, 'id'>;
  events: Dexie.Table<StoredEvent, [string, string]>;
  entities: Dexie.Table<EntityRecord, [string, string]>;
  stories: Dexie.Table<StoryRecord, [string, string]>;
  actions: Dexie.Table<ActionRecord, [string, number]>;
  notes: EntityTable<NoteRecord, 'id'>;
};

export const CASE_DB_NAME = 'vigil-cases';

/** Opens (creating or migrating) the case database. `indexedDB` is injectable for tests (fake-indexeddb). */
export function openCaseDatabase(options: { name?: string; indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {}): CaseDatabase {
  const db = new Dexie(options.name ?? CASE_DB_NAME, {
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  }) as CaseDatabase;

  // v1: the first published schema.
  db.version(1).stores({
    cases: 'id, updatedAt',
    events: '[caseId+id], caseId, [caseId+time], [caseId+kind]',
    entities: '[caseId+id], caseId, [caseId+kind]',
    stories: '[caseId+id], caseId, [caseId+severity]',
    actions: '[caseId+seq], caseId',
    notes: '++id, caseId, [caseId+subject]',
  });

  // v2: per-workload event views (index by pod) and notes ordered by last edit. Older notes get updatedAt from
  // their creation time; older events get their podKey from the event itself.
  db.version(2)
    .stores({
      events: '[caseId+id], caseId, [caseId+time], [caseId+kind], [caseId+podKey]',
      notes: '++id, caseId, [caseId+subject], [caseId+updatedAt]',
    })
    .upgrade(async (tx) => {
      await tx
        .table('notes')
        .toCollection()
        .modify((note: Partial<NoteRecord>) => {
          note.updatedAt ??= note.createdAt ?? new Date(0).toISOString();
        });
      await tx
        .table('events')
        .toCollection()
        .modify((stored: Partial<StoredEvent>) => {
          if (stored.podKey === undefined) stored.podKey = stored.event?.pod ? `${stored.event.pod.namespace}/${stored.event.pod.name}` : '';
        });
    });

  return db;
}

export function toStoredEvent(caseId: string, event: RuntimeEvent): StoredEvent {
  return {
    caseId,
    id: event.id,
    time: event.time,
    kind: event.kind,
    podKey: event.pod ? `${event.pod.namespace}/${event.pod.name}` : '',
    event,
  };
}
