// The viewport that shows a set of nodes, computed from the positions the lane layout already gave them. cytoscape's
// own fit measures every element's rendered bounds (labels included) first, which at 10,000 nodes took longer than
// adding them; the lanes are a grid, so the positions and a margin for a node and its label are enough.
import type { Point } from './lane-layout.js';

/** Room around a node's centre for its shape and the label under it, in model units. */
const NODE_MARGIN = { x: 110, y: 34 };

export interface Viewport {
  zoom: number;
  pan: Point;
}

export function fitViewport(points: Iterable<Point>, size: { width: number; height: number }, options: { padding: number; minZoom: number; maxZoom: number }): Viewport | null {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const p of points) {
    if (p.x < left) left = p.x;
    if (p.x > right) right = p.x;
    if (p.y < top) top = p.y;
    if (p.y > bottom) bottom = p.y;
  }
  if (left === Infinity) return null;
  left -= NODE_MARGIN.x;
  right += NODE_MARGIN.x;
  top -= NODE_MARGIN.y;
  bottom += NODE_MARGIN.y;
  const width = Math.max(1, size.width - 2 * options.padding);
  const height = Math.max(1, size.height - 2 * options.padding);
  const zoom = Math.min(options.maxZoom, Math.max(options.minZoom, Math.min(width / (right - left), height / (bottom - top))));
  return { zoom, pan: { x: size.width / 2 - zoom * ((left + right) / 2), y: size.height / 2 - zoom * ((top + bottom) / 2) } };
}
