// Level of detail by viewport for big graphs. Every element cytoscape holds costs tens of microseconds to create,
// style, measure and draw, and at a 10,000-node overview 30,000 edges are a grey wash that says nothing. So a big
// graph holds its nodes and a story's path; the edges of the nodes in view are added once there are few enough to
// tell apart (EDGE_BUDGET), and labels once they are large enough to read (LABEL_ZOOM) — recomputed when the viewport
// settles. The selected node always shows its own edges. Small graphs draw everything.
import type { GraphView } from './graph-view-model.js';

/** Labels are drawn at this zoom and closer (the big-graph font is readable from here). */
export const LABEL_ZOOM = 0.75;
/** Above this many nodes in view, labels would overlap into noise: none are added. */
export const MAX_LABELLED = 800;
/** At most this many edges are drawn for the nodes in view; above it, none (only the path and the selection's). */
export const EDGE_BUDGET = 5_000;
/** Nodes just outside the viewport still count, so edges and labels are there as a pan starts. */
const MARGIN = 60;

export interface Extent {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Detail {
  labels: ReadonlySet<string>;
  edges: ReadonlySet<string>;
  /** Edges touching the nodes in view, when that was over the budget (none of them drawn); 0 otherwise. */
  edgesOverBudget: number;
}

export const noDetail: Detail = { labels: new Set(), edges: new Set(), edgesOverBudget: 0 };

export function detailInView(view: GraphView, extent: Extent, zoom: number, selectedId: string | null): Detail {
  const visible = new Set<string>();
  for (const node of view.nodes) {
    const p = node.position;
    if (p && p.x >= extent.x1 - MARGIN && p.x <= extent.x2 + MARGIN && p.y >= extent.y1 - MARGIN && p.y <= extent.y2 + MARGIN) visible.add(node.id);
  }
  const labels = zoom >= LABEL_ZOOM && visible.size <= MAX_LABELLED ? visible : new Set<string>();
  const inView: string[] = [];
  const selected: string[] = [];
  for (const edge of view.edges) {
    if (edge.onPath) continue;
    if (visible.has(edge.source) || visible.has(edge.target)) inView.push(edge.id);
    if (selectedId !== null && (edge.source === selectedId || edge.target === selectedId)) selected.push(edge.id);
  }
  const over = inView.length > EDGE_BUDGET;
  const edges = new Set(over ? selected.slice(0, EDGE_BUDGET) : [...inView, ...selected]);
  return { labels, edges, edgesOverBudget: over ? inView.length : 0 };
}

export function sameDetail(a: Detail, b: Detail): boolean {
  const same = (x: ReadonlySet<string>, y: ReadonlySet<string>) => x.size === y.size && [...x].every((id) => y.has(id));
  return a.edgesOverBudget === b.edgesOverBudget && same(a.labels, b.labels) && same(a.edges, b.edges);
}
