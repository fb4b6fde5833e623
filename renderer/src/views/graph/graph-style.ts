// The graph's cytoscape stylesheet, built from the workbench's CSS colour variables so it follows light and dark.
// Level of detail: labels disappear below a readable size on screen (min-zoomed-font-size); a big graph's nodes are
// labelled only near the viewport when zoomed in (graph-labels.ts) and its edges are "haystack" lines, cytoscape's
// cheapest edge, without arrows.
import type { StylesheetJson } from 'cytoscape';

export interface GraphColours {
  text: string;
  muted: string;
  border: string;
  panel: string;
  accent: string;
  critical: string;
  kinds: Record<string, string>;
}

export function readColours(): GraphColours {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim() || '#888';
  return {
    text: v('--text'),
    muted: v('--muted'),
    border: v('--border'),
    panel: v('--panel'),
    accent: v('--accent'),
    critical: v('--critical'),
    kinds: {
      workload: v('--muted'),
      agent: v('--accent'),
      tool: v('--medium'),
      process: v('--info'),
      api: v('--high'),
      data: v('--low'),
      identity: v('--critical'),
    },
  };
}

export function graphStyle(colours: GraphColours, big: boolean): StylesheetJson {
  // Every property set here is applied to every element it selects, and cytoscape's cost per element grows with the
  // number of properties, so the rules for all nodes and all edges of a big graph hold only what differs from
  // cytoscape's defaults and what is needed to read the graph.
  const label = { label: 'data(label)', 'font-size': big ? 11 : 13, 'min-zoomed-font-size': big ? 8 : 5, color: colours.text, 'text-valign': 'bottom', 'text-margin-y': 3 } as const;
  return [
    { selector: 'node', style: big ? { width: 16, height: 16 } : { ...label, width: 16, height: 16, 'border-width': 1, 'border-color': colours.panel } },
    ...(big ? [{ selector: 'node.labelled, node.path', style: label }] : []),
    ...Object.entries(colours.kinds).map(([kind, colour]) => ({ selector: `node.${kind}`, style: { 'background-color': colour } })),
    { selector: 'node.api, node.data', style: { shape: 'round-rectangle' } },
    { selector: 'node.identity', style: { shape: 'diamond' } },
    { selector: 'node.agent', style: { shape: 'hexagon', width: 22, height: 22 } },
    { selector: 'node.workload', style: { shape: 'round-rectangle', width: 34, height: 22, 'font-weight': 'bold' } },
    { selector: 'node.collapsed', style: { 'background-opacity': 0.85 } },
    {
      // The band behind an expanded workload: a shape only, so clicks reach the edges and nodes drawn over it.
      selector: 'node.band',
      style: {
        shape: 'round-rectangle',
        width: 'data(width)',
        height: 'data(height)',
        'background-color': colours.accent,
        'background-opacity': 0.05,
        'border-width': 1,
        'border-color': colours.border,
        'z-index': 0,
        events: 'no',
        label: '',
      },
    },
    {
      selector: 'edge',
      style: big
        ? { 'curve-style': 'haystack', width: 1, 'line-color': colours.muted, opacity: 0.5 }
        : {
            'curve-style': 'straight',
            width: 'mapData(weight, 0, 10, 1, 4)',
            'line-color': colours.muted,
            'target-arrow-color': colours.muted,
            'target-arrow-shape': 'triangle',
            'arrow-scale': 0.7,
            opacity: 0.7,
          },
    },
    { selector: '.dimmed', style: { opacity: 0.12 } },
    { selector: 'node.band.dimmed', style: { opacity: 0.4 } },
    { selector: 'node.path', style: { 'border-color': colours.critical, 'border-width': 3 } },
    { selector: 'edge.path', style: { 'line-color': colours.critical, 'target-arrow-color': colours.critical, width: 3, opacity: 1 } },
    { selector: ':selected', style: { 'overlay-color': colours.accent, 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
  ];
}
