// The graph's cytoscape stylesheet, built from the workbench's CSS colour variables so it follows light and dark.
// Level of detail: labels disappear below a readable size on screen (min-zoomed-font-size), and big graphs draw edges
// as "haystack" lines, cytoscape's cheapest edge, without arrows.
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
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-size': big ? 11 : 13,
        'min-zoomed-font-size': big ? 9 : 5,
        color: colours.text,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        width: 16,
        height: 16,
        'border-width': 1,
        'border-color': colours.panel,
        'text-max-width': '200px',
        'text-wrap': 'ellipsis',
      },
    },
    ...Object.entries(colours.kinds).map(([kind, colour]) => ({ selector: `node.${kind}`, style: { 'background-color': colour } })),
    { selector: 'node.api, node.data', style: { shape: 'round-rectangle' } },
    { selector: 'node.identity', style: { shape: 'diamond' } },
    { selector: 'node.agent', style: { shape: 'hexagon', width: 22, height: 22 } },
    { selector: 'node.collapsed', style: { shape: 'round-rectangle', width: 34, height: 22, 'background-opacity': 0.85, label: 'data(groupLabel)' } },
    {
      selector: ':parent',
      style: {
        'background-color': colours.accent,
        'background-opacity': 0.05,
        'border-color': colours.border,
        'border-width': 1,
        shape: 'round-rectangle',
        padding: '14px',
        'text-valign': 'top',
        'text-halign': 'center',
        'font-weight': 'bold',
        color: colours.muted,
      },
    },
    {
      selector: 'edge',
      style: big
        ? { 'curve-style': 'haystack', 'haystack-radius': 0, width: 1, 'line-color': colours.muted, opacity: 0.5 }
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
    { selector: 'node.path', style: { 'border-color': colours.critical, 'border-width': 3 } },
    { selector: 'edge.path', style: { 'line-color': colours.critical, 'target-arrow-color': colours.critical, width: 3, opacity: 1 } },
    { selector: ':selected', style: { 'overlay-color': colours.accent, 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
  ];
}
