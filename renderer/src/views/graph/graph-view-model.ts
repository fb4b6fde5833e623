// What the graph view draws, from the engine's execution graph and the responder's choices: filters (namespace, kind,
// time), collapsed groups — workloads, and in big graphs the shared lanes' groups (shared-groups.ts) — drawn as one
// node with the edges of their members merged (the aggregation that keeps 10,000-node graphs readable), and a story's
// path (highlighted; the rest dimmed). Pure, so it is tested without a browser.
import type { EntityKind } from '../../../../shared/model/entity.js';
import type { ExecutionGraph, GraphEdge, GraphNode } from '../../../../shared/model/graph.js';
import { layoutLanes, type Point, type Rect } from './lane-layout.js';
import { sharedGroupOf, sharedGroupsOf } from './shared-groups.js';

export const entityKinds: EntityKind[] = ['workload', 'agent', 'tool', 'process', 'api', 'data', 'identity'];
const MEMBER_KINDS = new Set<EntityKind>(['agent', 'tool', 'process']);
const MAX_EVENT_IDS = 1000;
/** Above this many nodes, the graph opens with its groups collapsed. */
export const COLLAPSE_ABOVE_NODES = 1_500;

export interface GraphFilters {
  /** Namespaces to show; null shows all. */
  namespaces: ReadonlySet<string> | null;
  kinds: ReadonlySet<EntityKind>;
  /** Event-time window in ISO text; null is open. */
  from: string | null;
  to: string | null;
}

export interface Highlight {
  nodeIds: ReadonlySet<string>;
  eventIds: ReadonlySet<string>;
}

export interface ViewNode {
  id: string;
  label: string;
  kind: EntityKind;
  parent?: string;
  isGroup: boolean;
  /** For a collapsed group: how many member nodes it stands for. */
  members: number;
  position?: Point;
  /** An expanded workload: the band drawn behind it and its members. */
  band?: Rect;
  onPath: boolean;
  source: GraphNode;
}

export interface ViewEdge {
  id: string;
  source: string;
  target: string;
  kinds: string[];
  count: number;
  eventIds: string[];
  eventIdsTruncated: boolean;
  firstSeen: string;
  lastSeen: string;
  onPath: boolean;
}

export interface GraphView {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Whether a highlight is active, so the canvas dims what is not on the path. */
  highlighting: boolean;
  hiddenNodes: number;
}

export function namespaceOf(node: Pick<GraphNode, 'workload' | 'kind' | 'attributes'>): string | null {
  if (node.workload) return node.workload.split('/')[0] ?? null;
  return node.attributes.namespace ?? null;
}

function inWindow(first: string, last: string, filters: GraphFilters): boolean {
  return (filters.from === null || last >= filters.from) && (filters.to === null || first <= filters.to);
}

export function buildGraphView(graph: ExecutionGraph, filters: GraphFilters, collapsed: ReadonlySet<string>, highlight: Highlight | null): GraphView {
  // 1. Which nodes pass the filters, and where each one is drawn (itself, or its collapsed workload).
  const drawnAs = new Map<string, string>();
  const nodes = new Map<string, ViewNode>();
  const groupSources = new Map<string, GraphNode>();
  const workloadIds = new Set(graph.nodes.filter((n) => n.kind === 'workload').map((n) => n.id));
  let hiddenNodes = 0;
  for (const node of graph.nodes) {
    const namespace = namespaceOf(node);
    const passes =
      filters.kinds.has(node.kind) &&
      (filters.namespaces === null || namespace === null || filters.namespaces.has(namespace)) &&
      inWindow(node.firstSeen, node.lastSeen, filters);
    if (!passes) {
      hiddenNodes++;
      continue;
    }
    const groupId = node.workload ? `workload:${node.workload}` : undefined;
    const isMember = MEMBER_KINDS.has(node.kind) && groupId !== undefined && workloadIds.has(groupId) && filters.kinds.has('workload');
    if (isMember && collapsed.has(groupId!)) {
      drawnAs.set(node.id, groupId!);
      continue;
    }
    const shared = collapsed.size ? sharedGroupOf(node) : null;
    if (shared && collapsed.has(shared.id)) {
      drawnAs.set(node.id, shared.id);
      groupSources.set(shared.id, widen(groupSources.get(shared.id), node, shared));
      continue;
    }
    drawnAs.set(node.id, node.id);
    nodes.set(node.id, {
      id: node.id,
      label: node.label,
      kind: node.kind,
      ...(isMember ? { parent: groupId } : {}),
      isGroup: node.kind === 'workload',
      members: 0,
      onPath: false,
      source: node,
    });
  }
  for (const [id, source] of groupSources)
    nodes.set(id, { id, label: source.label, kind: source.kind, isGroup: true, members: 0, onPath: false, source });
  for (const [member, drawn] of drawnAs) if (member !== drawn) nodes.get(drawn)!.members++;

  // 2. Edges between drawn nodes, merged when collapsing maps several onto one pair. A workload's own edges to its
  // members ("runs", "is-agent") are what the group box already shows, so they are not drawn.
  const edges = new Map<string, ViewEdge>();
  for (const edge of graph.edges) {
    if (!inWindow(edge.firstSeen, edge.lastSeen, filters)) continue;
    const source = drawnAs.get(edge.from);
    const target = drawnAs.get(edge.to);
    if (!source || !target || source === target) continue;
    if (nodes.get(target)?.parent === source || nodes.get(source)?.parent === target) continue;
    const id = source === edge.from && target === edge.to ? edge.id : `merged:${source}->${target}`;
    const existing = edges.get(id);
    if (existing) mergeInto(existing, edge);
    else
      edges.set(id, {
        id, source, target, kinds: [edge.kind], count: edge.count, eventIds: [...edge.eventIds], eventIdsTruncated: edge.eventIdsTruncated,
        firstSeen: edge.firstSeen, lastSeen: edge.lastSeen, onPath: false,
      });
  }

  // 3. The story path: its entities, and the edges whose events the story cites.
  if (highlight) {
    for (const id of highlight.nodeIds) {
      const drawn = drawnAs.get(id);
      if (drawn) nodes.get(drawn)!.onPath = true;
    }
    for (const edge of edges.values()) edge.onPath = edge.eventIds.some((id) => highlight.eventIds.has(id));
    for (const edge of edges.values()) if (edge.onPath) for (const end of [edge.source, edge.target]) nodes.get(end)!.onPath = true;
    for (const node of nodes.values()) if (node.parent && node.onPath) nodes.get(node.parent)!.onPath = true;
  }

  // 4. Positions.
  const nodeList = [...nodes.values()];
  const edgeList = [...edges.values()];
  const positions = layoutLanes(
    nodeList.map((n) => ({ id: n.id, kind: n.kind, label: n.label, isGroup: n.kind === 'workload', ...(n.parent ? { parent: n.parent } : {}) })),
    edgeList,
  );
  for (const node of nodeList) {
    const placement = positions.get(node.id);
    if (!placement) continue;
    node.position = { x: placement.x, y: placement.y };
    if (placement.band) node.band = placement.band;
  }
  return { nodes: nodeList, edges: edgeList, highlighting: highlight !== null, hiddenNodes };
}

/** The entity a collapsed shared group stands for: its members' counts and time span. */
function widen(group: GraphNode | undefined, member: GraphNode, shared: { id: string; label: string }): GraphNode {
  if (!group) return { id: shared.id, kind: member.kind, label: shared.label, attributes: {}, firstSeen: member.firstSeen, lastSeen: member.lastSeen, count: member.count };
  group.count += member.count;
  if (member.firstSeen < group.firstSeen) group.firstSeen = member.firstSeen;
  if (member.lastSeen > group.lastSeen) group.lastSeen = member.lastSeen;
  return group;
}

/** What a graph opens with: nothing collapsed when small; above COLLAPSE_ABOVE_NODES every workload and every shared
 * group of two or more. */
export function defaultCollapsed(graph: ExecutionGraph): Set<string> {
  if (graph.nodes.length <= COLLAPSE_ABOVE_NODES) return new Set();
  const ids = sharedGroupsOf(graph.nodes);
  for (const node of graph.nodes) if (node.kind === 'workload') ids.add(node.id);
  return ids;
}

/** The groups that hold a story's entities: opened, so its path is visible node by node. */
export function groupsOf(entityIds: Iterable<string>, graph: ExecutionGraph): Set<string> {
  const wanted = new Set(entityIds);
  const groups = new Set<string>();
  for (const node of graph.nodes) {
    if (!wanted.has(node.id)) continue;
    if (node.kind === 'workload') groups.add(node.id);
    if (node.workload) groups.add(`workload:${node.workload}`);
    const shared = sharedGroupOf(node);
    if (shared) groups.add(shared.id);
  }
  return groups;
}

function mergeInto(target: ViewEdge, edge: GraphEdge): void {
  if (!target.kinds.includes(edge.kind)) target.kinds.push(edge.kind);
  target.count += edge.count;
  for (const id of edge.eventIds) {
    if (target.eventIds.length >= MAX_EVENT_IDS) {
      target.eventIdsTruncated = true;
      break;
    }
    target.eventIds.push(id);
  }
  target.eventIdsTruncated ||= edge.eventIdsTruncated;
  if (edge.firstSeen < target.firstSeen) target.firstSeen = edge.firstSeen;
  if (edge.lastSeen > target.lastSeen) target.lastSeen = edge.lastSeen;
}

/** The evidence behind a node: the events of the edges that touch it (first ids of each, in edge order). */
export function eventIdsOfNode(view: GraphView, nodeId: string, limit = 200): { ids: string[]; truncated: boolean } {
  const ids: string[] = [];
  const seen = new Set<string>();
  let truncated = false;
  const memberOf = new Set([nodeId, ...view.nodes.filter((n) => n.parent === nodeId).map((n) => n.id)]);
  for (const edge of view.edges) {
    if (!memberOf.has(edge.source) && !memberOf.has(edge.target)) continue;
    truncated ||= edge.eventIdsTruncated;
    for (const id of edge.eventIds) {
      if (seen.has(id)) continue;
      if (ids.length >= limit) return { ids, truncated: true };
      seen.add(id);
      ids.push(id);
    }
  }
  return { ids, truncated };
}
