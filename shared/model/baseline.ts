// A workload's learned behaviour (its application profile), merged across replicas, with an explicit state.
// Learning and readiness follow event time, never the clock, so replaying a case re-derives the same baseline.

export type BaselineState = 'learning' | 'ready';

export interface WorkloadBaseline {
  workload: string;
  state: BaselineState;
  /** Event time of the first event seen from this workload, and when learning ends (first + window). */
  learningStartedAt: string;
  readyAt: string;
  eventCount: number;
  /** Pods (replicas) whose events were merged into this baseline. */
  pods: string[];
  executables: string[];
  /** `parent-exe → exe`. */
  lineage: string[];
  /** Egress destinations as `proto:host:port`, host = DNS name when known, else IP. Ephemeral source ports dropped. */
  egress: string[];
  /** The same destinations as `proto:ip:port`, which NetworkPolicy generation and replay need. */
  egressAddresses: string[];
  /** Inbound `proto:port` (the pod's own listening port; the peer's ephemeral port is dropped). */
  ingress: string[];
  /** Inbound peers as `proto:peer:port`, peer = workload or IP, used to generate ingress allowlists. */
  ingressPeers: string[];
  dnsNames: string[];
  /** File paths with varying segments collapsed (`/proc/*`, numbers, hashes → `*`). */
  files: string[];
  /** `exe|category` pairs of sensitive file reads (tokens, credentials). */
  credentialReaders: string[];
  syscalls: string[];
  /** HTTP requests as `METHOD host/collapsed-path`. */
  http: string[];
  models: string[];
  tools: string[];
  /** Roots (first two path segments) of file paths in each tool's arguments, as `tool|/root`. */
  toolPaths: string[];
  /** Hosts of URLs in each tool's arguments, as `tool|host`. */
  toolHosts: string[];
  /** Kubernetes API use as `user|verb|apiGroup|resource|namespace`. */
  apiUse: string[];
  /** Kubernetes objects touched as `user|namespace|apiGroup|resource|name` (`*` when the call named none). */
  apiObjects: string[];
}
