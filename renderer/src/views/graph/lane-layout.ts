// Positions for the execution graph, computed here instead of by a cytoscape layout: a preset layout costs nothing at
// 10,000 nodes, and lanes read left to right like the chain they show — agent → tool → process → API → data →
// identity. Each workload is a horizontal band holding its own agent, tools and processes; an expanded workload
// stands at the left of its band, and the band is a rectangle drawn behind them (a plain shape, not a cytoscape
// compound parent: compound nodes make every style change walk parents and descendants, which cost seconds at
// 10,000 nodes). A collapsed workload is one node in the tool lane. Thousands of bands are cut into side-by-side
// columns so the whole keeps a screen's shape (packColumns). Shared nodes (APIs, data,
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
/** A collapsed workload's node and its label, either side of its centre. */
const COLLAPSED_HALF_WIDTH = 110;
const COLUMN_GAP = 160;
/** The columns of a shared lane cut in several: a node and its label. */
const SHARED_COLUMN_WIDTH = 190;
/** Bands taller than this in all are cut into columns ... */
const WRAP_ABOVE_HEIGHT = 6_000;
/** ... of a height that makes the whole about this much wider than tall (a screen's shape). */
const OVERVIEW_ASPECT = 1.6;
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
  const bands = groups.map((group) => bandOf(group, members.get(group.id) ?? []));
  const columns = packColumns(bands);
  let x = 0;
  let y = 0;
  let right = -Infinity;
  let tallest = 0;
  for (const [index, column] of columns.entries()) {
    const left = Math.min(...column.map((band) => band.left));
    if (index > 0) x = right + COLUMN_GAP - left;
    y = 0;
    for (const band of column) {
      band.place(positions, x, y);
      y += band.height;
    }
    tallest = Math.max(tallest, y);
    right = Math.max(right, x + Math.max(...column.map((band) => band.right)));
  }
  // With several columns the shared lanes move right of the last one.
  const sharedShift = Math.max(0, right - (laneOf.process * LANE_WIDTH + BAND_PAD_X));

  // Free nodes: left lanes continue below the bands (of the last column); right lanes are ordered by their neighbours'
  // mean height, and a lane taller than the bands (thousands of hosts or files) is cut into side-by-side columns.
  const laneLimit = Math.max(tallest, WRAP_ABOVE_HEIGHT);
  let wrappedWidth = 0;
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
    const left = lane <= laneOf.process;
    const laneX = left ? x + lane * LANE_WIDTH : lane * LANE_WIDTH + sharedShift + wrappedWidth;
    if (!left && inLane.length * ROW_HEIGHT > laneLimit) {
      const perColumn = Math.floor(laneLimit / ROW_HEIGHT);
      inLane.forEach((node, index) => positions.set(node.id, { x: laneX + Math.floor(index / perColumn) * SHARED_COLUMN_WIDTH, y: (index % perColumn) * ROW_HEIGHT }));
      wrappedWidth += (Math.ceil(inLane.length / perColumn) - 1) * SHARED_COLUMN_WIDTH;
      continue;
    }
    let next = left ? y : 0;
    for (const node of inLane) {
      const target = wanted.get(node.id)!;
      const rowY = Number.isFinite(target) ? Math.max(next, target) : next;
      positions.set(node.id, { x: laneX, y: rowY });
      next = rowY + ROW_HEIGHT;
    }
  }
  return positions;
}

interface Band {
  /** Extent of the band around its column's origin. */
  left: number;
  right: number;
  /** Rows and the gap below. */
  height: number;
  place(positions: Map<string, Placement>, x: number, y: number): void;
}

function bandOf(group: LayoutNode, list: readonly LayoutNode[]): Band {
  const perLane = new Map<number, LayoutNode[]>();
  for (const node of list) {
    const lane = laneOf[node.kind];
    const inLane = perLane.get(lane) ?? [];
    inLane.push(node);
    perLane.set(lane, inLane);
  }
  let rows = 1;
  for (const inLane of perLane.values()) {
    inLane.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    rows = Math.max(rows, inLane.length);
  }
  const expanded = list.length > 0;
  return {
    left: expanded ? BAND_HEADER_X - BAND_PAD_X : laneOf.workload * LANE_WIDTH - COLLAPSED_HALF_WIDTH,
    right: expanded ? laneOf.process * LANE_WIDTH + BAND_PAD_X : laneOf.workload * LANE_WIDTH + COLLAPSED_HALF_WIDTH,
    height: rows * ROW_HEIGHT + BAND_GAP,
    place(positions, x, y) {
      for (const [lane, inLane] of perLane) inLane.forEach((node, row) => positions.set(node.id, { x: x + lane * LANE_WIDTH, y: y + row * ROW_HEIGHT }));
      if (!expanded) {
        positions.set(group.id, { x: x + laneOf.workload * LANE_WIDTH, y });
        return;
      }
      const left = x + BAND_HEADER_X - BAND_PAD_X;
      const right = x + laneOf.process * LANE_WIDTH + BAND_PAD_X;
      const top = y - BAND_PAD_TOP;
      const bottom = y + (rows - 1) * ROW_HEIGHT + BAND_PAD_BOTTOM;
      positions.set(group.id, { x: x + BAND_HEADER_X, y, band: { x: (left + right) / 2, y: (top + bottom) / 2, width: right - left, height: bottom - top } });
    },
  };
}

/**
 * Bands in columns. One column reads best, but at thousands of workloads it is tens of thousands of units tall and
 * a few hundred wide: fitted on screen it is a hairline. Above WRAP_ABOVE_HEIGHT the bands (in their order) are cut
 * into columns of about equal height, as many as make the whole roughly as wide as a screen is.
 */
function packColumns(bands: readonly Band[]): Band[][] {
  let total = 0;
  let area = 0;
  let tallest = 0;
  for (const band of bands) {
    total += band.height;
    area += band.height * (band.right - band.left + COLUMN_GAP);
    tallest = Math.max(tallest, band.height);
  }
  if (total <= WRAP_ABOVE_HEIGHT) return bands.length ? [[...bands]] : [];
  const columnHeight = Math.max(tallest, Math.sqrt(area / OVERVIEW_ASPECT));
  const columns: Band[][] = [[]];
  let height = 0;
  for (const band of bands) {
    if (height + band.height > columnHeight && columns.at(-1)!.length) {
      columns.push([]);
      height = 0;
    }
    columns.at(-1)!.push(band);
    height += band.height;
  }
  return columns;
}
