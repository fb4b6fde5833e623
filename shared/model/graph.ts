// The execution graph: entities as nodes, observed interactions as edges. Every edge keeps the ids of the events
// behind it (provenance), so any view can answer "show me the evidence".
import type { Entity } from './entity.js';

export type EdgeKind =
  | 'runs' // workload → process
  | 'spawns' // process → process
  | 'is-agent' // workload → agent
  | 'calls-llm' // agent → api (LLM endpoint)
  | 'uses-model' // agent → data (model) — the model named in LLM requests
  | 'invokes-tool' // agent → tool (tool calls asked by the model)
  | 'connects' // process → api (network destination)
  | 'accepts' // api (peer) → process (inbound connection)
  | 'resolves' // process → api (DNS lookup)
  | 'requests' // process → api (HTTP request seen in plaintext)
  | 'reads' // process → data (file opened)
  | 'holds-identity' // workload → identity (its service account)
  | 'uses-identity' // process → identity (token read) or identity → api (authenticated API call)
  | 'accesses'; // identity → data (Kubernetes objects touched through the API)

export interface GraphEdge {
  id: string;
  kind: EdgeKind;
  from: string;
  to: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  /** Ids of the events behind this edge, in event order. Capped at `maxEventIdsPerEdge`; `count` stays exact. */
  eventIds: string[];
  eventIdsTruncated: boolean;
  /** Bytes moved along the edge where the events carry them (net.close, http.request). */
  bytesSent?: number;
  bytesReceived?: number;
}

export interface GraphNode extends Entity {
  count: number;
}

export interface ExecutionGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** What changed since the previous notification: ids only, so streaming consumers fetch just those. */
export interface GraphDelta {
  nodeIds: string[];
  edgeIds: string[];
}
