// The cytoscape canvas of the execution graph. Positions come from the lane layout (preset), so drawing 10,000 nodes
// costs only the drawing. Big graphs switch on cytoscape's cheap paths: haystack edges, edges hidden and a texture
// while the viewport moves (canvas) — or the WebGL renderer (cytoscape ≥ 3.31) when asked for.
import { useEffect, useRef } from 'react';
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import type { GraphView } from './graph-view-model.js';
import { graphStyle, readColours } from './graph-style.js';

export const BIG_GRAPH_ELEMENTS = 1_500;

// Cytoscape adds a one-rule <style> element unless an element with this id exists; the CSP forbids <style>, and the
// rule (the container is position: relative) is in app.css. A marker element keeps cytoscape from trying.
function markCytoscapeStylesheet(): void {
  const id = '__________cytoscape_stylesheet';
  if (document.getElementById(id)) return;
  const marker = document.createElement('meta');
  marker.id = id;
  marker.name = 'cytoscape-stylesheet';
  marker.content = 'in app.css';
  document.head.appendChild(marker);
}

export type GraphSelection = { type: 'node' | 'edge'; id: string } | null;

export function toElements(view: GraphView): ElementDefinition[] {
  const elements: ElementDefinition[] = [];
  const hasMembers = new Set(view.nodes.filter((n) => n.parent).map((n) => n.parent!));
  for (const node of view.nodes) {
    const classes: string[] = [node.kind];
    if (node.isGroup && !hasMembers.has(node.id)) classes.push('collapsed');
    if (view.highlighting) classes.push(node.onPath ? 'path' : 'dimmed');
    elements.push({
      group: 'nodes',
      data: {
        id: node.id,
        label: node.label,
        groupLabel: node.members ? `${node.label} (+${node.members})` : node.label,
        kind: node.kind,
        ...(node.parent ? { parent: node.parent } : {}),
      },
      ...(node.position ? { position: { ...node.position } } : {}),
      classes,
    });
  }
  for (const edge of view.edges) {
    elements.push({
      group: 'edges',
      data: { id: edge.id, source: edge.source, target: edge.target, weight: Math.log2(1 + edge.count) },
      classes: view.highlighting ? (edge.onPath ? 'path' : 'dimmed') : '',
    });
  }
  return elements;
}

export interface GraphCanvasProps {
  view: GraphView;
  webgl: boolean;
  focusIds: string[];
  onSelect(selection: GraphSelection): void;
  onToggleGroup(id: string): void;
  /** Called once the elements are drawn, with the time it took (the benchmark reads it). */
  onRendered?(ms: number, cy: Core): void;
}

export function GraphCanvas({ view, webgl, focusIds, onSelect, onToggleGroup, onRendered }: GraphCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const handlers = useRef({ onSelect, onToggleGroup, onRendered });
  handlers.current = { onSelect, onToggleGroup, onRendered };
  const big = view.nodes.length + view.edges.length > BIG_GRAPH_ELEMENTS;

  useEffect(() => {
    markCytoscapeStylesheet();
    const cy = cytoscape({
      container: container.current,
      style: graphStyle(readColours(), big),
      layout: { name: 'preset' },
      minZoom: 0.02,
      maxZoom: 4,
      wheelSensitivity: 0.4,
      boxSelectionEnabled: false,
      hideEdgesOnViewport: big && !webgl,
      textureOnViewport: big && !webgl,
      motionBlur: false,
      pixelRatio: big ? 1 : 'auto',
      ...(webgl ? { renderer: { name: 'canvas', webgl: true } } : {}),
    } as cytoscape.CytoscapeOptions);
    cy.on('tap', 'node', (event) => handlers.current.onSelect({ type: 'node', id: event.target.id() }));
    cy.on('tap', 'edge', (event) => handlers.current.onSelect({ type: 'edge', id: event.target.id() }));
    cy.on('tap', (event) => event.target === cy && handlers.current.onSelect(null));
    cy.on('dbltap', 'node.workload', (event) => handlers.current.onToggleGroup(event.target.id()));
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const restyle = () => cy.style(graphStyle(readColours(), big));
    scheme.addEventListener('change', restyle);
    window.addEventListener('vigil-theme', restyle);
    cyRef.current = cy;
    return () => {
      scheme.removeEventListener('change', restyle);
      window.removeEventListener('vigil-theme', restyle);
      cy.destroy();
      cyRef.current = null;
    };
  }, [big, webgl]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const started = performance.now();
    cy.batch(() => {
      cy.elements().remove();
      cy.add(toElements(view));
    });
    let focus = cy.collection();
    for (const id of focusIds) focus = focus.union(cy.getElementById(id));
    cy.fit(focus.nonempty() ? focus : undefined, 40);
    if (focus.nonempty() && cy.zoom() > 1.5) cy.zoom({ level: 1.5, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    requestAnimationFrame(() => handlers.current.onRendered?.(performance.now() - started, cy));
  }, [view, focusIds]);

  return <div ref={container} className="graph-canvas" data-testid="graph-canvas" role="img" aria-label={`Execution graph: ${view.nodes.length} nodes, ${view.edges.length} edges`} />;
}
