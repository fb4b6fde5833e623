// The cytoscape canvas of the execution graph. What makes 10,000 nodes and 30,000 edges workable:
// - positions come from the lane layout (preset), and the first viewport from those positions (graph-viewport.ts);
// - no compound nodes: an expanded workload's box is a plain shape behind its band (graph-elements.ts);
// - a new view is applied by difference (graph-sync.ts), so expanding a workload or showing a story does not rebuild
//   every element;
// - big graphs hold only the detail the viewport can show (graph-detail.ts: the edges and labels of the nodes in view),
//   use a lean stylesheet and haystack edges, and while the viewport moves the canvas renderer hides edges and pans a
//   texture — or cytoscape's WebGL renderer (3.31+) when asked for.
import { useEffect, useRef, useState } from 'react';
import cytoscape, { type Core } from 'cytoscape';
import { detailInView, noDetail, sameDetail, type Detail } from './graph-detail.js';
import { toElements } from './graph-elements.js';
import { graphStyle, readColours } from './graph-style.js';
import { syncElements } from './graph-sync.js';
import type { GraphView } from './graph-view-model.js';
import { fitViewport } from './graph-viewport.js';

export const BIG_GRAPH_ELEMENTS = 1_500;
const MIN_ZOOM = 0.02;
const MAX_ZOOM = 4;
/** A story's path is framed no closer than this, so its neighbourhood stays in view. */
const MAX_FOCUS_ZOOM = 1.5;
/** The viewport has settled when it has not moved for this long: then the detail in view is worked out. */
const SETTLE_MS = 120;

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

export interface GraphCanvasProps {
  view: GraphView;
  webgl: boolean;
  focusIds: string[];
  /** The viewport is framed again when this changes (filters, a story), not when a workload is expanded. */
  fitKey?: string;
  /** The selected node: a big graph draws its edges wherever the viewport is. */
  selectedId?: string | null;
  onSelect(selection: GraphSelection): void;
  onToggleGroup(id: string): void;
  /** A big graph's level of detail changed (the status line says why edges are missing). */
  onDetail?(detail: Detail): void;
  /** Called once the elements are drawn, with the time it took (the benchmark reads it). */
  onRendered?(ms: number, cy: Core): void;
  /** false draws every element of a big graph too (the benchmark's reference for what the level of detail saves). */
  levelOfDetail?: boolean;
}

interface Mounted {
  cy: Core;
  framed: string | null;
}

export function GraphCanvas({ view, webgl, focusIds, fitKey = '', selectedId = null, onSelect, onToggleGroup, onDetail, onRendered, levelOfDetail = true }: GraphCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const [mounted, setMounted] = useState<Mounted | null>(null);
  const [detail, setDetail] = useState<Detail>(noDetail);
  const handlers = useRef({ onSelect, onToggleGroup, onDetail, onRendered });
  handlers.current = { onSelect, onToggleGroup, onDetail, onRendered };
  const big = view.nodes.length + view.edges.length > BIG_GRAPH_ELEMENTS;
  const detailed = big && levelOfDetail;
  const latest = useRef({ view, selectedId, detailed });
  latest.current = { view, selectedId, detailed };
  const settleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Works out the detail for the viewport as it is now; React applies it by difference.
  const refreshDetail = useRef(() => undefined as void);
  refreshDetail.current = () => {
    const cy = mounted?.cy;
    if (!cy || cy.destroyed() || !latest.current.detailed) return;
    const next = detailInView(latest.current.view, cy.extent(), cy.zoom(), latest.current.selectedId);
    setDetail((current) => (sameDetail(current, next) ? current : next));
  };
  const scheduleDetail = () => {
    clearTimeout(settleTimer.current);
    settleTimer.current = setTimeout(() => refreshDetail.current(), SETTLE_MS);
  };

  useEffect(() => {
    markCytoscapeStylesheet();
    const cy = cytoscape({
      container: container.current,
      style: graphStyle(readColours(), big),
      layout: { name: 'preset' },
      minZoom: MIN_ZOOM,
      maxZoom: MAX_ZOOM,
      wheelSensitivity: 0.4,
      boxSelectionEnabled: false,
      autoungrabify: true,
      hideEdgesOnViewport: big && !webgl,
      textureOnViewport: big && !webgl,
      motionBlur: false,
      pixelRatio: big ? 1 : 'auto',
      ...(webgl ? { renderer: { name: 'canvas', webgl: true } } : {}),
    } as cytoscape.CytoscapeOptions);
    cy.on('tap', 'node', (event) => handlers.current.onSelect({ type: 'node', id: event.target.id() }));
    cy.on('tap', 'edge', (event) => handlers.current.onSelect({ type: 'edge', id: event.target.id() }));
    cy.on('tap', (event) => event.target === cy && handlers.current.onSelect(null));
    cy.on('dbltap', 'node.workload, node.collapsed', (event) => handlers.current.onToggleGroup(event.target.id()));
    if (detailed) cy.on('viewport', scheduleDetail);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const restyle = () => cy.style(graphStyle(readColours(), big));
    scheme.addEventListener('change', restyle);
    window.addEventListener('vigil-theme', restyle);
    setDetail(noDetail);
    setMounted({ cy, framed: null });
    return () => {
      clearTimeout(settleTimer.current);
      scheme.removeEventListener('change', restyle);
      window.removeEventListener('vigil-theme', restyle);
      cy.destroy();
      setMounted(null);
    };
    // scheduleDetail reads everything through refs, so the instance lives as long as its mode.
  }, [big, detailed, webgl]);

  useEffect(() => {
    if (!mounted) return;
    const { cy } = mounted;
    const started = performance.now();
    const frame = `${fitKey}\n${focusIds.join('\n')}`;
    let shown = detail;
    if (mounted.framed !== frame) {
      mounted.framed = frame;
      const focus = new Set(focusIds);
      const points = view.nodes.filter((n) => n.position && (!focus.size || focus.has(n.id))).map((n) => n.position!);
      const viewport = fitViewport(points, { width: cy.width(), height: cy.height() }, { padding: 40, minZoom: MIN_ZOOM, maxZoom: focus.size ? MAX_FOCUS_ZOOM : MAX_ZOOM });
      if (viewport) cy.viewport(viewport);
      // The first picture of a new frame already holds the detail it would settle at.
      if (detailed) {
        shown = detailInView(view, cy.extent(), cy.zoom(), selectedId);
        if (!sameDetail(shown, detail)) setDetail(shown);
      }
    }
    syncElements(cy, toElements(view, detailed ? shown : undefined));
    requestAnimationFrame(() => handlers.current.onRendered?.(performance.now() - started, cy));
  }, [mounted, view, detailed, detail, focusIds, fitKey]);

  // A new view or selection changes what is in view: work the detail out again (without waiting for a pan).
  useEffect(() => {
    if (mounted && detailed) scheduleDetail();
  }, [mounted, view, detailed, selectedId]);

  useEffect(() => {
    handlers.current.onDetail?.(detailed ? detail : noDetail);
  }, [detailed, detail]);

  return <div ref={container} className="graph-canvas" data-testid="graph-canvas" role="img" aria-label={`Execution graph: ${view.nodes.length} nodes, ${view.edges.length} edges`} />;
}
