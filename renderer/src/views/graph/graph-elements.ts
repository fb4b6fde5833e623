// The cytoscape elements of a graph view: flat nodes at their lane positions (no compound parents), an expanded
// workload's band as a shape behind it, edges between drawn nodes. Everything cytoscape styles by is a class or a
// plain data value, so the stylesheet needs no per-element mapper, and labels are cut here rather than by cytoscape's
// text-wrap (which measures the text again for every cut). With a level of detail (big graphs, graph-detail.ts),
// only its edges and a story's path are drawn, and only its nodes are labelled.
import type { ElementDefinition } from 'cytoscape';
import type { Detail } from './graph-detail.js';
import type { GraphView, ViewNode } from './graph-view-model.js';

export const LABEL_MAX_CHARS = 40;
/** The id of the band drawn behind an expanded workload. */
export const bandId = (workloadId: string) => `band:${workloadId}`;

export function shortLabel(label: string): string {
  return label.length > LABEL_MAX_CHARS ? `${label.slice(0, LABEL_MAX_CHARS - 1)}…` : label;
}

function pathClass(view: GraphView, onPath: boolean): string {
  return view.highlighting ? (onPath ? ' path' : ' dimmed') : '';
}

function nodeLabel(node: ViewNode): string {
  return shortLabel(node.members ? `${node.label} (+${node.members})` : node.label);
}

export function toElements(view: GraphView, detail?: Detail): ElementDefinition[] {
  const elements: ElementDefinition[] = [];
  const hasMembers = new Set<string>();
  for (const node of view.nodes) if (node.parent) hasMembers.add(node.parent);
  for (const node of view.nodes) {
    if (!node.band) continue;
    elements.push({
      group: 'nodes',
      data: { id: bandId(node.id), width: node.band.width, height: node.band.height },
      position: { x: node.band.x, y: node.band.y },
      classes: `band${pathClass(view, node.onPath)}`,
    });
  }
  for (const node of view.nodes) {
    const collapsed = node.isGroup && !hasMembers.has(node.id) ? ' collapsed' : '';
    const labelled = detail?.labels.has(node.id) ? ' labelled' : '';
    elements.push({
      group: 'nodes',
      data: { id: node.id, label: nodeLabel(node) },
      position: node.position ? { x: node.position.x, y: node.position.y } : { x: 0, y: 0 },
      // Dragging on a node pans, as on the background: positions are the lanes' meaning, not the user's to move, and
      // on a dense overview a drag almost always starts on some node.
      pannable: true,
      classes: `${node.kind}${collapsed}${labelled}${pathClass(view, node.onPath)}`,
    });
  }
  for (const edge of view.edges) {
    if (detail && !edge.onPath && !detail.edges.has(edge.id)) continue;
    elements.push({
      group: 'edges',
      data: { id: edge.id, source: edge.source, target: edge.target, weight: Math.log2(1 + edge.count) },
      classes: pathClass(view, edge.onPath).trim(),
    });
  }
  return elements;
}
