// Entities along the chain agent → tool → API → data → identity, plus the workloads and processes they live in.
// Ids are stable strings derived from what was observed (never counters), so the same events always give the same ids.

export type EntityKind = 'workload' | 'process' | 'agent' | 'tool' | 'api' | 'data' | 'identity';

export interface Entity {
  kind: EntityKind;
  /** `<kind>:<stable key>`, e.g. `api:collect.exfil.example:443`, `identity:system:serviceaccount:agents:research-agent`. */
  id: string;
  /** Short human label for views and narratives. */
  label: string;
  /** Workload (`namespace/owner`) the entity was seen in, when it belongs to one. */
  workload?: string;
  /** Extra facts, all strings so that output stays canonical (e.g. `role`, `exe`, `model`, `category`). */
  attributes: Record<string, string>;
  firstSeen: string;
  lastSeen: string;
}

export interface EntityRef {
  kind: EntityKind;
  id: string;
  label: string;
}
