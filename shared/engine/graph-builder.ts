// The incremental execution graph. Each released event adds or extends nodes and edges; every edge keeps the ids of
// the events behind it (capped per edge, with an exact count). Ids and labels come from entity-ids.ts.
import type { EntityKind } from '../model/entity.js';
import type { EdgeKind, ExecutionGraph, GraphDelta, GraphEdge, GraphNode } from '../model/graph.js';
import type { NameBook } from './name-book.js';
import type { Observation } from './observation.js';
import { entityId, KUBERNETES_API_ENTITY } from './entity-ids.js';
import { baseName, collapsePath } from './observed-names.js';
import { memoized } from './memo.js';

export const DEFAULT_MAX_EVENT_IDS_PER_EDGE = 1000;
/** For touching a node that exists: nothing to add to its attributes. */
/** Id caches are a speed-up only: past this many distinct names one starts over rather than grow without bound. */
const MAX_CACHED_IDS = 50_000;
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;
const KUBE_API_HOSTS = /^(?:kubernetes(?:\.default(?:\.svc(?:\.[a-z0-9.-]+)?)?)?)$/i;
const TOOL_SPAWN_WINDOW_MS = 60_000;
/** An HTTP Host header without its port, in lower case, and whether it names the Kubernetes API. */
const httpHostOf = memoized((raw) => {
  const host = raw.toLowerCase().replace(/:\d+$/, '');
  return { host, kubeApiName: KUBE_API_HOSTS.test(host) };
});

/**
 * The delta a node or edge was last added to, kept on the object itself but hidden (not enumerable): snapshots copy
 * nodes and edges by spreading them and JSON never sees it.
 */
const DELTA_EPOCH = Symbol('deltaEpoch');
interface DeltaMark {
  [DELTA_EPOCH]: number;
}

function withDeltaMark<T extends object>(item: T): T {
  Object.defineProperty(item, DELTA_EPOCH, { value: -1, writable: true, enumerable: false });
  return item;
}

interface ProcessEntry {
  node: GraphNode;
  runs: GraphEdge;
  /** The process made LLM calls: a process it spawns right after a tool call was spawned for that tool. */
  isAgent: boolean;
  /**
   * The peer of the process's last connect, accept and close, when its id can no longer change (named or a
   * workload): a process talks to the same peer many times in a row, found again without looking anything up.
   */
  lastConnect: PeerMemo | null;
  lastAccept: PeerMemo | null;
  lastClose: PeerMemo | null;
}

interface PeerMemo {
  ip: string;
  port: number;
  node: GraphNode | null;
  edge: GraphEdge;
}

interface WorkloadEntry {
  node: GraphNode;
  identityEdgeFor: string | null;
  processes: Map<string, ProcessEntry>;
  /** The workload's agent node id and label, once it made an LLM call (with its is-agent edge). */
  agent: { id: string; label: string } | null;
}

/** Whether a peer id names the bare address (`api:<ip>:<port>`), which a later DNS answer may still name. */
function isBareAddressId(id: string, ip: string): boolean {
  return id.length > 4 + ip.length && id.charCodeAt(4 + ip.length) === 58 /* : */ && id.startsWith(ip, 4) && id.startsWith('api:');
}

export class GraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, GraphEdge>();
  private dirtyNodes = new Set<string>();
  private dirtyEdges = new Set<string>();
  /** Which delta is being gathered: a node or edge marked with it is already in dirtyNodes / dirtyEdges. */
  private deltaEpoch = 0;
  /** The last tool call asked of each pod's agent: a process the agent spawns soon after was spawned for it. */
  private readonly lastToolCall = new Map<string, { toolId: string; timeMs: number }>();
  /** Hot-path caches: the workload node, its process nodes and the 'runs' edges, found without building id strings. */
  private readonly workloadCache = new Map<string, WorkloadEntry>();
  /** Edges by from → to → kind, so repeated interactions are found without concatenating an id. */
  private readonly edgeIndex = new Map<string, Map<string, Map<EdgeKind, GraphEdge>>>();
  private readonly peerIds = new Map<string, Map<number, string>>();
  private readonly apiIds = new Map<string, Map<number, string>>();
  /** Entity ids built once per distinct name: the hot path looks them up instead of concatenating. */
  private readonly apiIdsByHost = new Map<string, string>();
  private readonly fileIds = new Map<string, string>();
  private readonly modelIds = new Map<string, string>();
  private readonly toolIds = new Map<string, Map<string, string>>();

  constructor(private readonly names: NameBook, private readonly maxEventIdsPerEdge = DEFAULT_MAX_EVENT_IDS_PER_EDGE) {}

  add(o: Observation, kubeApiIp: string | null): void {
    const e = o.event;
    const w = o.workload;
    const time = e.time;
    let processId: string | null = null;
    let proc: ProcessEntry | undefined;
    if (w) {
      let cached = this.workloadCache.get(w);
      if (!cached) {
        const id = this.node('workload', entityId.workload(w), w.split('/')[1] ?? w, time, w, { namespace: w.split('/')[0] ?? '' });
        cached = { node: this.nodes.get(id)!, identityEdgeFor: null, processes: new Map(), agent: null };
        this.workloadCache.set(w, cached);
      } else {
        this.touch(cached.node, time);
      }
      if (o.identity && e.kind !== 'k8s.audit' && cached.identityEdgeFor !== o.identity) {
        const identity = this.node('identity', entityId.identity(o.identity), o.identity.replace('system:serviceaccount:', 'sa:'), time, undefined, {});
        this.edgeQuiet('holds-identity', cached.node.id, identity, time);
        cached.identityEdgeFor = o.identity;
      }
      if (o.process) {
        proc = cached.processes.get(o.process.exe);
        if (!proc) {
          const id = this.node('process', entityId.process(w, o.process.exe), baseName(o.process.exe), time, w, { exe: o.process.exe });
          proc = { node: this.nodes.get(id)!, runs: this.edge('runs', cached.node.id, id, time, e.id), isAgent: false, lastConnect: null, lastAccept: null, lastClose: null };
          cached.processes.set(o.process.exe, proc);
        } else {
          this.touch(proc.node, time);
          this.pushEvent(proc.runs, e.id, time, true);
        }
        processId = proc.node.id;
      }
    }
    switch (e.kind) {
      case 'process.exec': {
        if (!w || !o.process || !processId) break;
        if (o.process.parentExe) {
          const parentId = entityId.process(w, o.process.parentExe);
          if (this.nodes.has(parentId)) this.edge('spawns', parentId, processId, time, e.id);
        }
        const call = o.pod ? this.lastToolCall.get(o.pod) : undefined;
        const parentIsAgent = o.process.parentExe !== null && this.workloadCache.get(w)!.processes.get(o.process.parentExe)?.isAgent === true;
        if (call && parentIsAgent && o.timeMs - call.timeMs <= TOOL_SPAWN_WINDOW_MS) this.edge('spawns', call.toolId, processId, time, e.id);
        break;
      }
      case 'net.connect':
      case 'net.accept': {
        if (!processId || !proc) break;
        const d = e.details;
        const outbound = e.kind === 'net.connect';
        // Accepted sockets come from the pod's side: src = its listening address, dst = the peer.
        const peerIp = d.dstIp;
        const port = outbound ? d.dstPort : d.srcPort;
        const memo = outbound ? proc.lastConnect : proc.lastAccept;
        if (memo !== null && memo.port === port && memo.ip === peerIp) {
          this.touch(memo.node!, time);
          this.pushEvent(memo.edge, e.id, time, true);
          break;
        }
        const peer = this.peerNode(peerIp, outbound ? d.dnsName : undefined, port, time, kubeApiIp);
        const edge = outbound ? this.edge('connects', processId, peer, time, e.id) : this.edge('accepts', peer, processId, time, e.id);
        if (this.isSettledPeer(peerIp, port)) {
          const settled = { ip: peerIp, port, node: this.nodes.get(peer)!, edge };
          if (outbound) proc.lastConnect = settled;
          else proc.lastAccept = settled;
        }
        break;
      }
      case 'net.close': {
        if (!processId || !proc) break;
        const d = e.details;
        const memo = proc.lastClose;
        let edge: GraphEdge | undefined;
        if (memo !== null && memo.port === d.dstPort && memo.ip === d.dstIp) edge = memo.edge;
        else {
          edge = this.findEdge('connects', processId, this.peerId(d.dstIp, d.dnsName, d.dstPort, kubeApiIp));
          if (edge && this.isSettledPeer(d.dstIp, d.dstPort)) proc.lastClose = { ip: d.dstIp, port: d.dstPort, node: null, edge };
        }
        if (edge) {
          edge.bytesSent = (edge.bytesSent ?? 0) + d.bytesSent;
          edge.bytesReceived = (edge.bytesReceived ?? 0) + d.bytesReceived;
          this.pushEvent(edge, e.id, time, false);
        }
        break;
      }
      case 'dns.query': {
        if (!processId) break;
        const name = e.details.queryName.toLowerCase();
        const api = this.node('api', this.idOf(this.apiIdsByHost, name, entityId.api), name, time, undefined, { type: 'dns-name' });
        this.edge('resolves', processId, api, time, e.id);
        break;
      }
      case 'http.request': {
        if (!processId) break;
        const { host, kubeApiName } = httpHostOf(e.details.host);
        const target = kubeApiName || host === kubeApiIp ? this.kubeApi(time) : this.node('api', this.idOf(this.apiIdsByHost, host, entityId.api), host, time, undefined, { type: 'http' });
        const edge = this.edge('requests', processId, target, time, e.id);
        if (e.details.bytes) edge.bytesSent = (edge.bytesSent ?? 0) + e.details.bytes;
        break;
      }
      case 'file.open': {
        if (!processId) break;
        const d = e.details;
        const path = d.category === 'other' || d.category === 'model' ? collapsePath(d.path) : d.path;
        const data = this.node('data', this.idOf(this.fileIds, path, entityId.file), path, time, undefined, { category: d.category });
        this.edge('reads', processId, data, time, e.id);
        if (d.category === 'sa-token' && o.identity) this.edge('uses-identity', processId, this.node('identity', entityId.identity(o.identity), o.identity.replace('system:serviceaccount:', 'sa:'), time, undefined, {}), time, e.id);
        if (d.category === 'cloud-credential') this.edge('uses-identity', processId, this.node('identity', `identity:file:${d.path}`, `cloud credentials ${d.path}`, time, undefined, {}), time, e.id);
        break;
      }
      case 'llm.request':
      case 'llm.response': {
        if (!w) break;
        const agent = this.agentNode(w, time, o);
        const host = e.details.host.toLowerCase();
        const api = this.node('api', this.idOf(this.apiIdsByHost, host, entityId.api), host, time, undefined, { type: 'llm', provider: e.details.provider });
        this.edge('calls-llm', agent, api, time, e.id);
        if (e.details.model) this.edge('uses-model', agent, this.node('data', this.idOf(this.modelIds, e.details.model, entityId.model), e.details.model, time, undefined, { type: 'model' }), time, e.id);
        if (e.kind === 'llm.response') {
          for (const call of e.details.toolCalls) {
            const tool = this.node('tool', this.toolId(w, call.name), call.name, time, w, { type: 'llm-tool' });
            this.edge('invokes-tool', agent, tool, time, e.id);
            if (o.pod) this.lastToolCall.set(o.pod, { toolId: tool, timeMs: o.timeMs });
          }
        }
        break;
      }
      case 'workload.classified': {
        if (!w) break;
        const role = e.details.role;
        if (role === 'agent') this.agentNode(w, time, o);
        else {
          const id = role === 'mcp-server' ? entityId.mcpServer(w) : `tool:${role}:${w}`;
          const kind: EntityKind = role === 'inference-server' ? 'api' : 'tool';
          const node = this.node(kind, id, `${w.split('/')[1]} ${role}`, time, w, { role });
          this.edge('runs', entityId.workload(w), node, time, e.id);
        }
        break;
      }
      case 'k8s.audit': {
        const d = e.details;
        // Workload identities only: the control plane's own users and humans would bury the agents' API use.
        if (!d.user.startsWith('system:serviceaccount:')) break;
        const identity = this.node('identity', entityId.identity(d.user), d.user.replace('system:serviceaccount:', 'sa:'), time, undefined, {});
        this.edge('uses-identity', identity, this.kubeApi(time), time, e.id);
        const object = entityId.kubeObject(d.subresource ? `${d.resource}/${d.subresource}` : d.resource, d.namespace, d.name);
        const data = this.node('data', object, `${d.resource}${d.name ? `/${d.name}` : ''}${d.namespace ? ` in ${d.namespace}` : ''}`, time, undefined, { type: 'kubernetes-object', verb: d.verb });
        this.edge('accesses', identity, data, time, e.id);
        break;
      }
      default:
        break;
    }
  }

  /** Ids changed since the last call; resets the change set. */
  takeDelta(): GraphDelta {
    const delta = { nodeIds: [...this.dirtyNodes].sort(), edgeIds: [...this.dirtyEdges].sort() };
    this.dirtyNodes = new Set();
    this.dirtyEdges = new Set();
    this.deltaEpoch++;
    return delta;
  }

  snapshot(): ExecutionGraph {
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return {
      nodes: [...this.nodes.values()].map((n) => ({ ...n, attributes: { ...n.attributes } })).sort(byId),
      edges: [...this.edges.values()].map((e) => ({ ...e, eventIds: [...e.eventIds] })).sort(byId),
    };
  }

  node(kind: EntityKind, id: string, label: string, time: string, workload: string | undefined, attributes: Record<string, string>): string {
    const existing = this.nodes.get(id);
    if (existing) {
      this.touch(existing, time);
      for (const key in attributes) if (existing.attributes[key] === undefined) existing.attributes[key] = attributes[key]!;
      return id;
    }
    const node: GraphNode = { kind, id, label, attributes, firstSeen: time, lastSeen: time, count: 1 };
    if (workload) node.workload = workload;
    this.nodes.set(id, withDeltaMark(node));
    this.markNode(node);
    return id;
  }

  private touch(node: GraphNode, time: string): void {
    node.count++;
    if (time > node.lastSeen) node.lastSeen = time;
    this.markNode(node);
  }

  /** Adds a node to the current delta once: most events touch the same few nodes again and again. */
  private markNode(node: GraphNode): void {
    const marked = node as GraphNode & DeltaMark;
    if (marked[DELTA_EPOCH] === this.deltaEpoch) return;
    marked[DELTA_EPOCH] = this.deltaEpoch;
    this.dirtyNodes.add(node.id);
  }

  private markEdge(edge: GraphEdge): void {
    const marked = edge as GraphEdge & DeltaMark;
    if (marked[DELTA_EPOCH] === this.deltaEpoch) return;
    marked[DELTA_EPOCH] = this.deltaEpoch;
    this.dirtyEdges.add(edge.id);
  }

  private agentNode(w: string, time: string, o: Observation): string {
    const cached = this.workloadCache.get(w)!;
    if (cached.agent === null) {
      const id = entityId.agent(w);
      cached.agent = { id, label: `${w.split('/')[1]} agent` };
      this.node('agent', id, cached.agent.label, time, w, {});
      this.edgeQuiet('is-agent', entityId.workload(w), id, time);
    } else {
      this.node('agent', cached.agent.id, cached.agent.label, time, w, NO_ATTRIBUTES);
    }
    // The event's process has its entry: add() made it before dispatching on the kind.
    if (o.process) cached.processes.get(o.process.exe)!.isAgent = true;
    return cached.agent.id;
  }

  private kubeApi(time: string): string {
    return this.node('api', KUBERNETES_API_ENTITY, 'Kubernetes API', time, undefined, { type: 'kubernetes-api' });
  }

  private peerId(ip: string, dnsName: string | undefined, port: number, kubeApiIp: string | null): string {
    let byPort = this.peerIds.get(ip);
    if (!byPort) this.peerIds.set(ip, (byPort = new Map()));
    let id = byPort.get(port);
    if (id === undefined) {
      id = this.computePeerId(ip, dnsName, port, kubeApiIp);
      // A bare IP may get a DNS name later: only cache ids that carry a name or a workload.
      if (!isBareAddressId(id, ip)) byPort.set(port, id);
    }
    return id;
  }

  /** Whether the peer id of an address and port is fixed for good (cached: it carries a name or a workload). */
  private isSettledPeer(ip: string, port: number): boolean {
    return this.peerIds.get(ip)?.get(port) !== undefined;
  }

  private computePeerId(ip: string, dnsName: string | undefined, port: number, kubeApiIp: string | null): string {
    if (ip === kubeApiIp) return KUBERNETES_API_ENTITY;
    const workload = this.names.workloadAt(ip);
    if (workload) return entityId.workload(workload);
    const host = dnsName?.toLowerCase() ?? this.names.dnsNameOf(ip) ?? ip;
    return this.apiId(host, port);
  }

  private idOf(cache: Map<string, string>, name: string, build: (name: string) => string): string {
    let id = cache.get(name);
    if (id === undefined) {
      if (cache.size >= MAX_CACHED_IDS) cache.clear();
      cache.set(name, (id = build(name)));
    }
    return id;
  }

  private toolId(workload: string, name: string): string {
    let byName = this.toolIds.get(workload);
    if (!byName) this.toolIds.set(workload, (byName = new Map()));
    let id = byName.get(name);
    if (id === undefined) byName.set(name, (id = entityId.tool(workload, name)));
    return id;
  }

  /** `api:<host>:<port>`, built once per host and port (bare addresses are looked up on every close). */
  private apiId(host: string, port: number): string {
    let byPort = this.apiIds.get(host);
    if (!byPort) {
      if (this.apiIds.size >= MAX_CACHED_IDS) this.apiIds.clear();
      this.apiIds.set(host, (byPort = new Map()));
    }
    let id = byPort.get(port);
    if (id === undefined) {
      // Peers of accepted connections come from ephemeral ports: bound the table like the other id caches.
      if (byPort.size >= MAX_CACHED_IDS) byPort.clear();
      byPort.set(port, (id = entityId.api(host, port)));
    }
    return id;
  }

  private peerNode(ip: string, dnsName: string | undefined, port: number, time: string, kubeApiIp: string | null): string {
    const id = this.peerId(ip, dnsName, port, kubeApiIp);
    const existing = this.nodes.get(id);
    if (existing) {
      this.touch(existing, time);
      return id;
    }
    if (id === KUBERNETES_API_ENTITY) return this.kubeApi(time);
    if (id.startsWith('workload:')) {
      const w = id.slice('workload:'.length);
      return this.node('workload', id, w.split('/')[1] ?? w, time, w, { namespace: w.split('/')[0] ?? '' });
    }
    return this.node('api', id, id.slice('api:'.length), time, undefined, { ip, port: String(port) });
  }

  private edge(kind: EdgeKind, from: string, to: string, time: string, eventId: string): GraphEdge {
    let byTo = this.edgeIndex.get(from);
    if (!byTo) this.edgeIndex.set(from, (byTo = new Map()));
    let byKind = byTo.get(to);
    if (!byKind) byTo.set(to, (byKind = new Map()));
    let edge = byKind.get(kind);
    if (!edge) {
      const id = `${kind}|${from}|${to}`;
      edge = { id, kind, from, to, firstSeen: time, lastSeen: time, count: 0, eventIds: [], eventIdsTruncated: false };
      this.edges.set(id, withDeltaMark(edge));
      byKind.set(kind, edge);
    }
    this.pushEvent(edge, eventId, time, true);
    return edge;
  }

  private findEdge(kind: EdgeKind, from: string, to: string): GraphEdge | undefined {
    return this.edgeIndex.get(from)?.get(to)?.get(kind);
  }

  /** An edge implied by facts rather than one event (a workload holds its service account): no provenance list. */
  private edgeQuiet(kind: EdgeKind, from: string, to: string, time: string): void {
    const id = `${kind}|${from}|${to}`;
    if (this.edges.has(id)) return;
    const edge: GraphEdge = withDeltaMark({ id, kind, from, to, firstSeen: time, lastSeen: time, count: 1, eventIds: [], eventIdsTruncated: false });
    this.edges.set(id, edge);
    this.markEdge(edge);
  }

  private pushEvent(edge: GraphEdge, eventId: string, time: string, counts: boolean): void {
    if (counts) edge.count++;
    if (time > edge.lastSeen) edge.lastSeen = time;
    if (edge.eventIds.length < this.maxEventIdsPerEdge) edge.eventIds.push(eventId);
    else edge.eventIdsTruncated = true;
    this.markEdge(edge);
  }
}
