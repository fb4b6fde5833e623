import { describe, expect, it } from 'vitest';
import type { ExecutionGraph, GraphEdge, GraphNode } from '../../../../shared/model/graph.js';
import { COLLAPSE_ABOVE_NODES, buildGraphView, defaultCollapsed, entityKinds, eventIdsOfNode, groupsOf, type GraphFilters } from './graph-view-model.js';

const t = (s: number) => `2026-11-20T10:00:${String(s).padStart(2, '0')}Z`;
const node = (id: string, kind: GraphNode['kind'], workload?: string): GraphNode => ({
  id, kind, label: id.split(/[:|]/).pop()!, attributes: {}, firstSeen: t(0), lastSeen: t(50), count: 1, ...(workload ? { workload } : {}),
});
const edge = (id: string, kind: GraphEdge['kind'], from: string, to: string, eventIds: string[], at = 10): GraphEdge => ({
  id, kind, from, to, firstSeen: t(at), lastSeen: t(at), count: eventIds.length, eventIds, eventIdsTruncated: false,
});

const graph: ExecutionGraph = {
  nodes: [
    node('workload:agents/research', 'workload', 'agents/research'),
    node('agent:agents/research', 'agent', 'agents/research'),
    node('process:agents/research|/bin/sh', 'process', 'agents/research'),
    node('process:agents/research|/usr/bin/curl', 'process', 'agents/research'),
    node('workload:payments/api', 'workload', 'payments/api'),
    node('process:payments/api|/app/server', 'process', 'payments/api'),
    node('api:collect.exfil.example:443', 'api'),
    node('api:api.llm:443', 'api'),
  ],
  edges: [
    edge('e-runs', 'runs', 'workload:agents/research', 'process:agents/research|/bin/sh', ['r1']),
    edge('e-llm', 'calls-llm', 'agent:agents/research', 'api:api.llm:443', ['l1', 'l2'], 5),
    edge('e-exfil', 'connects', 'process:agents/research|/usr/bin/curl', 'api:collect.exfil.example:443', ['x1'], 40),
    edge('e-sh', 'connects', 'process:agents/research|/bin/sh', 'api:collect.exfil.example:443', ['x0'], 39),
    edge('e-pay', 'connects', 'process:payments/api|/app/server', 'api:api.llm:443', ['p1'], 20),
  ],
};
const all: GraphFilters = { namespaces: null, kinds: new Set(entityKinds), from: null, to: null };

describe('graph view model', () => {
  it('draws workloads as groups around their members and leaves out the group-to-member edges', () => {
    const view = buildGraphView(graph, all, new Set(), null);
    expect(view.nodes.find((n) => n.id === 'process:agents/research|/bin/sh')!.parent).toBe('workload:agents/research');
    expect(view.edges.map((e) => e.id).sort()).toEqual(['e-exfil', 'e-llm', 'e-pay', 'e-sh']);
    expect(view.nodes.every((n) => n.position)).toBe(true);
    expect(view.nodes.find((n) => n.id === 'workload:agents/research')!.band).toBeDefined();
  });

  it('collapses a workload into one node, merging the edges of its members with their evidence', () => {
    const view = buildGraphView(graph, all, new Set(['workload:agents/research']), null);
    expect(view.nodes.map((n) => n.id)).not.toContain('process:agents/research|/bin/sh');
    const group = view.nodes.find((n) => n.id === 'workload:agents/research')!;
    expect(group.members).toBe(3);
    const merged = view.edges.find((e) => e.target === 'api:collect.exfil.example:443')!;
    expect(merged).toMatchObject({ source: 'workload:agents/research', count: 2, kinds: ['connects'] });
    expect(merged.eventIds.sort()).toEqual(['x0', 'x1']);
  });

  it('filters by namespace, kind and time', () => {
    const payments = buildGraphView(graph, { ...all, namespaces: new Set(['payments']) }, new Set(), null);
    expect(payments.nodes.map((n) => n.id)).not.toContain('agent:agents/research');
    expect(payments.edges.map((e) => e.id)).toEqual(['e-pay']);
    const noApis = buildGraphView(graph, { ...all, kinds: new Set(entityKinds.filter((k) => k !== 'api')) }, new Set(), null);
    expect(noApis.edges).toEqual([]);
    const late = buildGraphView(graph, { ...all, from: t(30) }, new Set(), null);
    expect(late.edges.map((e) => e.id).sort()).toEqual(['e-exfil', 'e-sh']);
  });

  it('highlights the path of a story through the events it cites', () => {
    const view = buildGraphView(graph, all, new Set(), { nodeIds: new Set(['agent:agents/research']), eventIds: new Set(['x1']) });
    expect(view.edges.filter((e) => e.onPath).map((e) => e.id)).toEqual(['e-exfil']);
    const onPath = view.nodes.filter((n) => n.onPath).map((n) => n.id).sort();
    expect(onPath).toEqual(['agent:agents/research', 'api:collect.exfil.example:443', 'process:agents/research|/usr/bin/curl', 'workload:agents/research']);
  });

  it('finds the events behind a node from the edges that touch it', () => {
    const view = buildGraphView(graph, all, new Set(), null);
    expect(eventIdsOfNode(view, 'api:collect.exfil.example:443').ids.sort()).toEqual(['x0', 'x1']);
    expect(eventIdsOfNode(view, 'workload:agents/research').ids.sort()).toEqual(['l1', 'l2', 'x0', 'x1']);
  });

  it('collapses a shared group (APIs of one domain) into one node with merged edges, and keeps a story path through it', () => {
    const withDomain: ExecutionGraph = {
      nodes: [...graph.nodes, node('api:upload.exfil.example:443', 'api')],
      edges: [...graph.edges, edge('e-up', 'connects', 'process:agents/research|/bin/sh', 'api:upload.exfil.example:443', ['u1'], 41)],
    };
    const view = buildGraphView(withDomain, all, new Set(['group:api:*.exfil.example']), { nodeIds: new Set(), eventIds: new Set(['x1']) });
    const group = view.nodes.find((n) => n.id === 'group:api:*.exfil.example')!;
    expect(group).toMatchObject({ kind: 'api', isGroup: true, members: 2, onPath: true, label: '*.exfil.example' });
    expect(view.nodes.map((n) => n.id)).not.toContain('api:collect.exfil.example:443');
    const sh = view.edges.find((e) => e.source === 'process:agents/research|/bin/sh' && e.target === group.id)!;
    expect(sh.eventIds.sort()).toEqual(['u1', 'x0']);
    expect(groupsOf(['api:collect.exfil.example:443', 'process:agents/research|/bin/sh'], withDomain)).toEqual(new Set(['group:api:*.exfil.example', 'workload:agents/research']));
  });

  it('opens small graphs whole and big ones with workloads and shared groups collapsed', () => {
    expect(defaultCollapsed(graph).size).toBe(0);
    const big: ExecutionGraph = { nodes: [...graph.nodes], edges: [] };
    for (let i = 0; big.nodes.length <= COLLAPSE_ABOVE_NODES; i++) big.nodes.push(node(`api:h${i}.d${i % 3}.example:443`, 'api'));
    expect(defaultCollapsed(big)).toEqual(new Set(['workload:agents/research', 'workload:payments/api', 'group:api:*.d0.example', 'group:api:*.d1.example', 'group:api:*.d2.example']));
  });
});
