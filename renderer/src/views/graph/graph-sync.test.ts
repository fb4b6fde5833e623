import { describe, expect, it } from 'vitest';
import cytoscape from 'cytoscape';
import type { ExecutionGraph, GraphNode } from '../../../../shared/model/graph.js';
import { bandId, toElements } from './graph-elements.js';
import { syncElements } from './graph-sync.js';
import { buildGraphView, entityKinds, type GraphFilters } from './graph-view-model.js';

const t = '2026-11-20T10:00:00Z';
const node = (id: string, kind: GraphNode['kind'], workload?: string): GraphNode => ({ id, kind, label: id, attributes: {}, firstSeen: t, lastSeen: t, count: 1, ...(workload ? { workload } : {}) });
const graph: ExecutionGraph = {
  nodes: [
    node('workload:agents/research', 'workload', 'agents/research'),
    node('agent:agents/research', 'agent', 'agents/research'),
    node('process:agents/research|/usr/bin/curl', 'process', 'agents/research'),
    node('api:collect.exfil.example:443', 'api'),
  ],
  edges: [
    { id: 'e-exfil', kind: 'connects', from: 'process:agents/research|/usr/bin/curl', to: 'api:collect.exfil.example:443', firstSeen: t, lastSeen: t, count: 1, eventIds: ['x1'], eventIdsTruncated: false },
    { id: 'e-llm', kind: 'calls-llm', from: 'agent:agents/research', to: 'api:collect.exfil.example:443', firstSeen: t, lastSeen: t, count: 1, eventIds: ['l1'], eventIdsTruncated: false },
  ],
};
const all: GraphFilters = { namespaces: null, kinds: new Set(entityKinds), from: null, to: null };

describe('graph elements and their sync into cytoscape', () => {
  it('draws flat nodes (no compound parent) with the expanded workload band behind them', () => {
    const elements = toElements(buildGraphView(graph, all, new Set(), null));
    expect(elements.every((e) => e.data.parent === undefined)).toBe(true);
    expect(elements.find((e) => e.data.id === bandId('workload:agents/research'))?.classes).toBe('band');
    expect(elements.find((e) => e.data.id === 'workload:agents/research')?.classes).toBe('workload');
  });

  it('applies a new view by difference: a collapse removes members, merges edges, keeps the shared node itself', () => {
    const cy = cytoscape({ headless: true, styleEnabled: false });
    syncElements(cy, toElements(buildGraphView(graph, all, new Set(), null)));
    const api = cy.getElementById('api:collect.exfil.example:443');
    expect(cy.nodes().length).toBe(5);
    const collapsed = syncElements(cy, toElements(buildGraphView(graph, all, new Set(['workload:agents/research']), null)));
    expect(collapsed.removed).toBe(5); // the band, two members, their two edges
    expect(collapsed.added).toBe(1); // the merged edge
    expect(cy.getElementById('api:collect.exfil.example:443').same(api)).toBe(true);
    expect(cy.edges().map((e) => `${e.source().id()} ${e.target().id()}`)).toEqual(['workload:agents/research api:collect.exfil.example:443']);
    expect(cy.getElementById('workload:agents/research').hasClass('collapsed')).toBe(true);
    expect(cy.getElementById('workload:agents/research').data('label')).toBe('workload:agents/research (+2)');
  });

  it('a highlight only re-classes what is there', () => {
    const cy = cytoscape({ headless: true, styleEnabled: false });
    syncElements(cy, toElements(buildGraphView(graph, all, new Set(), null)));
    const result = syncElements(cy, toElements(buildGraphView(graph, all, new Set(), { nodeIds: new Set(), eventIds: new Set(['x1']) })));
    expect(result).toMatchObject({ added: 0, removed: 0 });
    expect(cy.getElementById('e-exfil').hasClass('path')).toBe(true);
    expect(cy.getElementById('e-llm').hasClass('dimmed')).toBe(true);
    expect(syncElements(cy, toElements(buildGraphView(graph, all, new Set(), { nodeIds: new Set(), eventIds: new Set(['x1']) })))).toEqual({ added: 0, removed: 0, changed: 0 });
  });
});
