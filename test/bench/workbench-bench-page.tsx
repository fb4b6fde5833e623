// The page the workbench benchmark loads in Chromium: the real graph canvas and timeline components of the workbench,
// fed with synthetic inputs of fixed sizes (a benchmark input, never shown in the product). Exposes `window.bench`.
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import type { Core } from 'cytoscape';
import type { ExecutionGraph, GraphEdge, GraphNode } from '../../shared/model/graph.js';
import type { EntityKind } from '../../shared/model/entity.js';
import { GraphCanvas } from '../../renderer/src/views/graph/GraphCanvas.js';
import { buildGraphView, defaultCollapsed, entityKinds, groupsOf, type GraphView } from '../../renderer/src/views/graph/graph-view-model.js';
import { TimelineCanvas, type TimeWindow } from '../../renderer/src/views/timeline/TimelineCanvas.js';
import { TimelineSeriesBuilder } from '../../renderer/src/engine/timeline-series.js';
import { eventKinds } from '../../shared/model/event.js';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A graph shaped like a big cluster: workloads of ~8 members in 40 namespaces; shared APIs (hosts under 100
 * domains), files (in 75 directories) and service accounts (of the 40 namespaces); edges ≈ 3 × nodes. */
export function syntheticGraph(nodeCount: number, seed = 7): ExecutionGraph {
  const rand = random(seed);
  const time = '2026-11-20T10:00:00Z';
  const nodes: GraphNode[] = [];
  const shared = { api: Math.round(nodeCount * 0.2), data: Math.round(nodeCount * 0.15), identity: Math.round(nodeCount * 0.05) };
  const node = (id: string, kind: EntityKind, workload?: string): GraphNode => ({ id, kind, label: id.slice(id.indexOf(':') + 1, id.indexOf(':') + 25), attributes: {}, firstSeen: time, lastSeen: time, count: 1, ...(workload ? { workload } : {}) });
  for (let i = 0; i < shared.api; i++) nodes.push(node(`api:host-${i}.domain-${i % 100}.example:443`, 'api'));
  for (let i = 0; i < shared.data; i++) nodes.push(node(`data:file:/data/dir-${i % 75}/${i}`, 'data'));
  for (let i = 0; i < shared.identity; i++) nodes.push(node(`identity:system:serviceaccount:ns-${i % 40}:sa-${i}`, 'identity'));
  const members: string[][] = [];
  let w = 0;
  while (nodes.length < nodeCount) {
    const workload = `ns-${w % 40}/app-${w}`;
    const list: string[] = [];
    nodes.push(node(`workload:${workload}`, 'workload', workload));
    for (const kind of ['agent', 'tool', 'process', 'process', 'process', 'tool', 'process'] as const) {
      if (nodes.length >= nodeCount) break;
      const id = `${kind}:${workload}|${list.length}`;
      nodes.push(node(id, kind, workload));
      list.push(id);
    }
    members.push(list);
    w++;
  }
  const targets = nodes.filter((n) => n.kind === 'api' || n.kind === 'data' || n.kind === 'identity').map((n) => n.id);
  const sources = members.flat();
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  while (edges.length < nodeCount * 3 && sources.length && targets.length) {
    const from = sources[Math.floor(rand() * sources.length)]!;
    const to = targets[Math.floor(rand() * targets.length)]!;
    const id = `connects|${from}|${to}`;
    if (seen.has(id)) continue;
    seen.add(id);
    edges.push({ id, kind: 'connects', from, to, firstSeen: time, lastSeen: time, count: 1 + Math.floor(rand() * 20), eventIds: [`e-${edges.length}`], eventIdsTruncated: false });
  }
  return { nodes, edges };
}

let root: Root | null = null;
let current: { graph: ExecutionGraph; collapsed: Set<string>; options: { webgl: boolean; collapsed: boolean; everything: boolean }; cy: Core; draw(view: GraphView): Promise<unknown> } | null = null;
function drawnNow() {
  const cy = current?.cy;
  return { drawnNodes: cy ? cy.nodes().not('.band').length : 0, drawnEdges: cy ? cy.edges().length : 0 };
}
let recording: number[] | null = null;
function mount(): Root {
  root?.unmount();
  const container = document.getElementById('stage')!;
  root = createRoot(container);
  return root;
}

function frames(count: number, step: (i: number) => void): Promise<number[]> {
  return new Promise((resolve) => {
    const intervals: number[] = [];
    let last = performance.now();
    let i = 0;
    const tick = () => {
      const now = performance.now();
      if (i > 0) intervals.push(now - last);
      last = now;
      if (i >= count) return resolve(intervals);
      step(i++);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

const bench = {
  syntheticGraph,
  /** Frame intervals of an idle page: the baseline the graph's frame times are compared to. */
  idleFrames: (count: number) => frames(count, () => undefined),

  /** Records animation-frame intervals until stopFrames(): the driver pans and zooms with real mouse input meanwhile. */
  startFrames() {
    recording = [];
    let last = performance.now();
    const tick = () => {
      if (!recording) return;
      const now = performance.now();
      recording.push(now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  },
  stopFrames(): number[] {
    const intervals = recording ?? [];
    recording = null;
    return intervals.slice(1);
  },

  async graph(nodeCount: number, options: { webgl: boolean; collapsed: boolean; everything: boolean }) {
    const graph = syntheticGraph(nodeCount);
    const started = performance.now();
    // Aggregated: what the workbench opens such a graph with (workloads and shared groups collapsed).
    const collapsed = options.collapsed ? defaultCollapsed(graph) : new Set<string>();
    const view = buildGraphView(graph, { namespaces: null, kinds: new Set(entityKinds), from: null, to: null }, collapsed, null);
    const viewMs = performance.now() - started;
    const graphRoot = mount();
    const draw = (next: GraphView) =>
      new Promise<{ cy: Core; addMs: number }>((resolve) => {
        let done = false;
        flushSync(() =>
          graphRoot.render(
            <GraphCanvas view={next} webgl={options.webgl} levelOfDetail={!options.everything} focusIds={[]} onSelect={() => undefined} onToggleGroup={() => undefined} onRendered={(addMs, cy) => !done && (done = true, resolve({ cy, addMs }))} />,
          ),
        );
      });
    const rendered = await draw(view);
    // The first frame after the elements were added has been drawn once the next animation frame starts.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const firstRenderMs = performance.now() - started;
    current = { graph, collapsed, options, cy: rendered.cy, draw };
    return {
      graphNodes: graph.nodes.length,
      graphEdges: graph.edges.length,
      nodes: view.nodes.length,
      edges: view.edges.length,
      ...drawnNow(),
      viewMs,
      addMs: rendered.addMs,
      firstRenderMs,
    };
  },

  /** What cytoscape holds now (after the level of detail settled). */
  drawn: () => drawnNow(),

  /** Zooms in to `zoom` on the graph's middle node and waits for the level of detail to add the edges in view. */
  async zoomIn(zoom: number) {
    const cy = current?.cy;
    if (!cy) throw new Error('no graph drawn');
    const nodes = cy.nodes().not('.band');
    const middle = nodes[Math.floor(nodes.length / 2)]!.position();
    const before = cy.edges().length;
    const started = performance.now();
    cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * middle.x, y: cy.height() / 2 - zoom * middle.y } });
    while (cy.edges().length === before && performance.now() - started < 3000) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return { ms: performance.now() - started, zoom, ...drawnNow() };
  },

  /** Shows a story's path as the workbench does: its groups opened, its edges and entities highlighted, the rest
   * dimmed. The path: one process of a workload in the middle of the graph and the first three edges it has. */
  async storyPath() {
    if (!current) throw new Error('no graph drawn');
    const { graph } = current;
    const process = graph.nodes.filter((n) => n.kind === 'process')[Math.floor(graph.nodes.length / 20)]!;
    const edges = graph.edges.filter((e) => e.from === process.id).slice(0, 3);
    const entities = [process.id, ...edges.map((e) => e.to)];
    const started = performance.now();
    const open = groupsOf(entities, graph);
    const collapsed = new Set([...current.collapsed].filter((id) => !open.has(id)));
    const view = buildGraphView(graph, { namespaces: null, kinds: new Set(entityKinds), from: null, to: null }, collapsed, { nodeIds: new Set(entities), eventIds: new Set(edges.flatMap((e) => e.eventIds)) });
    await current.draw(view);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return { ms: performance.now() - started, pathEdges: current.cy.edges('.path').length, dimmed: current.cy.elements('.dimmed').length };
  },

  /** Expands one collapsed workload of the current graph: the view is rebuilt and applied by difference. */
  async expandOne() {
    if (!current) throw new Error('no graph drawn');
    const workload = [...current.collapsed].find((id) => id.startsWith('workload:'));
    if (!workload) return null;
    const started = performance.now();
    const collapsed = new Set(current.collapsed);
    collapsed.delete(workload);
    const view = buildGraphView(current.graph, { namespaces: null, kinds: new Set(entityKinds), from: null, to: null }, collapsed, null);
    await current.draw(view);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return { ms: performance.now() - started, ...drawnNow() };
  },

  async timeline(eventCount: number) {
    const rand = random(11);
    const builder = new TimelineSeriesBuilder();
    const start = Date.parse('2026-11-20T00:00:00Z');
    const span = 6 * 3600_000;
    const started = performance.now();
    for (let i = 0; i < eventCount; i++) {
      // Bursty: most events in a few busy periods, like an incident.
      const burst = rand() < 0.6 ? (Math.floor(rand() * 5) / 5) * span + rand() * 600_000 : rand() * span;
      builder.add(eventKinds[Math.floor(rand() * eventKinds.length)]!, start + burst);
    }
    const series = builder.build();
    const buildMs = performance.now() - started;
    let window: TimeWindow = { from: series.start, to: series.end + 1 };
    const timelineRoot = mount();
    const render = () =>
      flushSync(() =>
        timelineRoot.render(<TimelineCanvas series={series} window={window} onWindowChange={(w) => { window = w; render(); }} hidden={new Set()} markers={[]} />),
      );
    render();
    return { events: series.total, buildMs };
  },
};

declare global {
  interface Window {
    bench: typeof bench;
  }
}
window.bench = bench;
