import { describe, expect, it } from 'vitest';
import type { GraphView, ViewEdge, ViewNode } from './graph-view-model.js';
import { EDGE_BUDGET, LABEL_ZOOM, detailInView, sameDetail } from './graph-detail.js';

function grid(count: number, edgesPerNode: number): GraphView {
  const nodes = Array.from({ length: count }, (_, i) => ({ id: `n${i}`, label: `n${i}`, kind: 'api', isGroup: false, members: 0, onPath: false, position: { x: (i % 100) * 100, y: Math.floor(i / 100) * 100 } }) as ViewNode);
  const edges: ViewEdge[] = [];
  for (let i = 0; i < count; i++)
    for (let k = 1; k <= edgesPerNode; k++)
      edges.push({ id: `e${i}-${k}`, source: `n${i}`, target: `n${(i + k) % count}`, kinds: ['connects'], count: 1, eventIds: [], eventIdsTruncated: false, firstSeen: '', lastSeen: '', onPath: i === 0 && k === 1 });
  return { nodes, edges, highlighting: false, hiddenNodes: 0 };
}

describe('level of detail', () => {
  const view = grid(10_000, 3);

  it('draws no edge at the overview, where the nodes in view touch more than the budget', () => {
    const detail = detailInView(view, { x1: -100, y1: -100, x2: 10_000, y2: 10_000 }, 0.05, null);
    expect(detail.edges.size).toBe(0);
    expect(detail.edgesOverBudget).toBeGreaterThan(EDGE_BUDGET);
    expect(detail.labels.size).toBe(0);
  });

  it('draws the edges and labels of the nodes in view once zoomed in, and not the others', () => {
    const detail = detailInView(view, { x1: 0, y1: 0, x2: 1000, y2: 500 }, LABEL_ZOOM, null);
    expect(detail.edgesOverBudget).toBe(0);
    expect(detail.labels.has('n0')).toBe(true);
    expect(detail.labels.has('n5000')).toBe(false);
    expect(detail.edges.has('e1-1')).toBe(true);
    expect(detail.edges.has('e5000-1')).toBe(false);
    expect(detail.edges.has('e0-1')).toBe(false); // on a story's path: always drawn, not part of the detail
    expect(detailInView(view, { x1: 0, y1: 0, x2: 1000, y2: 500 }, LABEL_ZOOM / 2, null).labels.size).toBe(0);
  });

  it("always draws the selected node's edges", () => {
    const detail = detailInView(view, { x1: -100, y1: -100, x2: 10_000, y2: 10_000 }, 0.05, 'n5000');
    expect([...detail.edges].sort()).toEqual(['e4997-3', 'e4998-2', 'e4999-1', 'e5000-1', 'e5000-2', 'e5000-3']);
  });

  it('tells equal details apart from different ones', () => {
    const a = detailInView(view, { x1: 0, y1: 0, x2: 1000, y2: 500 }, 1, null);
    expect(sameDetail(a, detailInView(view, { x1: 0, y1: 0, x2: 1000, y2: 500 }, 1, null))).toBe(true);
    expect(sameDetail(a, detailInView(view, { x1: 0, y1: 0, x2: 1000, y2: 500 }, 1, 'n9999'))).toBe(false);
  });
});
