import { describe, expect, it } from 'vitest';
import { LANE_WIDTH, ROW_HEIGHT, layoutLanes, type LayoutNode } from './lane-layout.js';

const nodes: LayoutNode[] = [
  { id: 'workload:a/x', kind: 'workload', isGroup: true, label: 'x' },
  { id: 'agent:a/x', kind: 'agent', parent: 'workload:a/x', label: 'agent' },
  { id: 'process:a/x|/bin/sh', kind: 'process', parent: 'workload:a/x', label: 'sh' },
  { id: 'process:a/x|/usr/bin/curl', kind: 'process', parent: 'workload:a/x', label: 'curl' },
  { id: 'workload:b/y', kind: 'workload', isGroup: true, label: 'y' },
  { id: 'api:exfil:443', kind: 'api', label: 'exfil' },
  { id: 'api:llm:443', kind: 'api', label: 'llm' },
  { id: 'identity:sa', kind: 'identity', label: 'sa' },
];
const edges = [
  { source: 'agent:a/x', target: 'api:llm:443' },
  { source: 'process:a/x|/bin/sh', target: 'api:exfil:443' },
];

describe('lane layout', () => {
  const positions = layoutLanes(nodes, edges);

  it('places every node, each kind in its lane, left to right along the chain', () => {
    expect(positions.size).toBe(nodes.length);
    expect(positions.get('agent:a/x')!.x).toBe(0);
    expect(positions.get('process:a/x|/bin/sh')!.x).toBe(2 * LANE_WIDTH);
    expect(positions.get('api:llm:443')!.x).toBe(3 * LANE_WIDTH);
    expect(positions.get('identity:sa')!.x).toBe(5 * LANE_WIDTH);
  });

  it('stacks a workload band as tall as its fullest lane, the next band below it', () => {
    const ys = ['process:a/x|/bin/sh', 'process:a/x|/usr/bin/curl'].map((id) => positions.get(id)!.y).sort((a, b) => a - b);
    expect(ys[1]! - ys[0]!).toBe(ROW_HEIGHT);
    expect(positions.get('workload:b/y')!.y).toBeGreaterThan(ys[1]!);
  });

  it("heads an expanded workload's band with its node, the band behind it and all its members; a collapsed one is a node", () => {
    const band = positions.get('workload:a/x')!.band!;
    expect(positions.get('workload:a/x')!.x).toBeLessThan(positions.get('agent:a/x')!.x);
    for (const id of ['workload:a/x', 'agent:a/x', 'process:a/x|/bin/sh', 'process:a/x|/usr/bin/curl']) {
      const member = positions.get(id)!;
      expect(Math.abs(member.x - band.x)).toBeLessThan(band.width / 2);
      expect(Math.abs(member.y - band.y)).toBeLessThan(band.height / 2);
    }
    expect(positions.get('workload:b/y')!.band).toBeUndefined();
    expect(positions.get('workload:b/y')!.y).toBeGreaterThan(band.y + band.height / 2);
  });

  it('orders shared nodes by their neighbours and never overlaps them', () => {
    expect(positions.get('api:llm:443')!.y).toBeLessThan(positions.get('api:exfil:443')!.y);
    expect(positions.get('api:exfil:443')!.y - positions.get('api:llm:443')!.y).toBeGreaterThanOrEqual(ROW_HEIGHT);
  });

  it('is deterministic', () => {
    expect([...layoutLanes([...nodes].reverse(), edges)].sort()).toEqual([...positions].sort());
  });

  it("cuts thousands of workloads into columns so the whole keeps about a screen's shape, shared lanes right of them", () => {
    const many: LayoutNode[] = [];
    for (let i = 0; i < 750; i++) many.push({ id: `workload:ns/app-${String(i).padStart(3, '0')}`, kind: 'workload', isGroup: true, label: `app-${i}` });
    many.push({ id: 'workload:ns/open', kind: 'workload', isGroup: true, label: 'open' }, { id: 'agent:ns/open', kind: 'agent', parent: 'workload:ns/open', label: 'agent' });
    many.push({ id: 'api:x:443', kind: 'api', label: 'x' });
    const placed = layoutLanes(many, [{ source: 'workload:ns/app-000', target: 'api:x:443' }]);
    const points = [...placed.values()];
    const width = Math.max(...points.map((p) => p.x)) - Math.min(...points.map((p) => p.x));
    const height = Math.max(...points.map((p) => p.y)) - Math.min(...points.map((p) => p.y));
    expect(width / height).toBeGreaterThan(0.8);
    expect(width / height).toBeLessThan(3.2);
    const workloadXs = new Set(many.filter((n) => n.isGroup && n.id !== 'workload:ns/open').map((n) => placed.get(n.id)!.x));
    expect(workloadXs.size).toBeGreaterThan(3);
    expect(placed.get('api:x:443')!.x).toBeGreaterThan(Math.max(...workloadXs));
    const band = placed.get('workload:ns/open')!.band!;
    expect(Math.abs(placed.get('agent:ns/open')!.x - band.x)).toBeLessThan(band.width / 2);
  });

  it('cuts a shared lane of thousands of hosts into columns, in the order of their neighbours', () => {
    const hosts: LayoutNode[] = Array.from({ length: 2000 }, (_, i) => ({ id: `api:h${String(i).padStart(4, '0')}:443`, kind: 'api', label: `h${i}` }));
    const placed = layoutLanes([...hosts, { id: 'identity:sa', kind: 'identity', label: 'sa' }], []);
    const ys = hosts.map((h) => placed.get(h.id)!.y);
    const xs = new Set(hosts.map((h) => placed.get(h.id)!.x));
    expect(Math.max(...ys)).toBeLessThanOrEqual(6_000);
    expect(xs.size).toBeGreaterThan(10);
    expect(placed.get('identity:sa')!.x).toBeGreaterThan(Math.max(...xs));
  });
});
