// Positions for the execution graph, computed here instead of by a cytoscape layout: a preset layout costs nothing at
// 10,000 nodes, and lanes read left to right like the chain they show — agent → tool → process → API → data →
// identity. Each workload is a horizontal band holding its own agent, tools and processes; an expanded workload
// stands at the left of its band, and the band is a rectangle drawn behind them (a plain shape, not a cytoscape
// compound parent: compound nodes make every style change walk parents and descendants, which cost seconds at
// 10,000 nodes). A collapsed workload is one node in the tool lane. Shared nodes (APIs, data,
// identities, nodes of no workload) stand in their lane, ordered by the mean height of their neighbours so that edges
// cross as little as one cheap pass can manage.
//
// Cost: O(nodes log nodes + edges).
import type { EntityKind } from '../../../../shared/model/entity.js';

export const laneOf: Record<EntityKind, number> = { workload: 1, agent: 0, tool: 1, process: 2, api: 3, data: 4, identity: 5 };
export const LANE_WIDTH = 260;
export const ROW_HEIGHT = 44;
const BAND_GAP = 44;
/** How far a band reaches around its nodes: beside, above, and below them (their labels). */
const BAND_PAD_X = 40;
/** An expanded workload's own node: left of its agent, heading its band. */
const BAND_HEADER_X = laneOf.agent * LANE_WIDTH - LANE_WIDTH / 2;
const BAND_PAD_TOP = 16;
const BAND_PAD_BOTTOM = 24;

export interface LayoutNode {
  id: string;
  kind: EntityKind;
  /** The workload group the node is drawn in; a group node itself has `isGroup`. */
  parent?: string;
  isGroup?: boolean;
  label: string;
}

export interface Point {
  x: number;
  y: number;
}

export interface Rect extends Point {
  /** x and y are the centre. */
  width: number;
  height: number;
}

/** Where a node is drawn; an expanded workload also gets the band drawn behind it and its members. */
export interface Placement extends Point {
  band?: Rect;
}

export function layoutLanes(nodes: readonly LayoutNode[], edges: readonly { source: string; target: string }[]): Map<string, Placement> {
  const positions = new Map<string, Placement>();
  const members = new Map<string, LayoutNode[]>();
  const groups: LayoutNode[] = [];
  const free: LayoutNode[] = [];
  for (const node of nodes) {
    if (node.isGroup) groups.push(node);
    else if (node.parent) {
      const list = members.get(node.parent) ?? [];
      list.push(node);
      members.set(node.parent, list);
    } else free.push(node);
  }
  groups.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  // Bands: one per workload group, as tall as its fullest lane. A group with no member (collapsed) is one row.
  let y = 0;
  for (const group of groups) {
    const list = members.get(group.id) ?? [];
    const perLane = new Map<number, LayoutNode[]>();
    for (const node of list) {
      const lane = laneOf[node.kind];
      const inLane = perLane.get(lane) ?? [];
      inLane.push(node);
      perLane.set(lane, inLane);
    }
    let rows = 1;
    for (const [lane, inLane] of perLane) {
      inLane.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
      inLane.forEach((node, row) => positions.set(node.id, { x: lane * LANE_WIDTH, y: y + row * ROW_HEIGHT }));
      rows = Math.max(rows, inLane.length);
    }
    if (!list.length) positions.set(group.id, { x: laneOf.workload * LANE_WIDTH, y });
    else {
      const left = BAND_HEADER_X - BAND_PAD_X;
      const right = laneOf.process * LANE_WIDTH + BAND_PAD_X;
      const top = y - BAND_PAD_TOP;
      const bottom = y + (rows - 1) * ROW_HEIGHT + BAND_PAD_BOTTOM;
      positions.set(group.id, { x: BAND_HEADER_X, y, band: { x: (left + right) / 2, y: (top + bottom) / 2, width: right - left, height: bottom - top } });
    }
    y += rows * ROW_HEIGHT + BAND_GAP;
  }

  // Free nodes: left lanes continue below the bands; right lanes are ordered by their neighbours' mean height.
  const neighbours = new Map<string, string[]>();
  for (const edge of edges) {
    (neighbours.get(edge.source) ?? neighbours.set(edge.source, []).get(edge.source)!).push(edge.target);
    (neighbours.get(edge.target) ?? neighbours.set(edge.target, []).get(edge.target)!).push(edge.source);
  }
  const byLane = new Map<number, LayoutNode[]>();
  for (const node of free) {
    const lane = laneOf[node.kind];
    (byLane.get(lane) ?? byLane.set(lane, []).get(lane)!).push(node);
  }
  for (const lane of [...byLane.keys()].sort((a, b) => a - b)) {
    const inLane = byLane.get(lane)!;
    const wanted = new Map<string, number>();
    for (const node of inLane) {
      let sum = 0;
      let count = 0;
      for (const other of neighbours.get(node.id) ?? []) {
        const p = positions.get(other);
        if (p) {
          sum += p.y;
          count++;
        }
      }
      wanted.set(node.id, count ? sum / count : Number.POSITIVE_INFINITY);
    }
    inLane.sort((a, b) => wanted.get(a.id)! - wanted.get(b.id)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let next = lane <= laneOf.process ? y : 0;
    for (const node of inLane) {
      const target = wanted.get(node.id)!;
      const rowY = Number.isFinite(target) ? Math.max(next, target) : next;
      positions.set(node.id, { x: lane * LANE_WIDTH, y: rowY });
      next = rowY + ROW_HEIGHT;
    }
  }
  return positions;
}
