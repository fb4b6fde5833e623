import { describe, expect, it } from 'vitest';
import { sharedGroupOf, sharedGroupsOf } from './shared-groups.js';
import type { GraphNode } from '../../../../shared/model/graph.js';

const shared = (id: string, kind: GraphNode['kind'], workload?: string) => ({ id, kind, ...(workload ? { workload } : {}) });

describe('shared groups', () => {
  it('groups APIs by domain, in-cluster services by namespace, addresses by /16', () => {
    expect(sharedGroupOf(shared('api:collect.exfil.example:443', 'api'))?.label).toBe('*.exfil.example');
    expect(sharedGroupOf(shared('api:files.ns1.svc.cluster.local:80', 'api'))?.label).toBe('*.ns1.svc.cluster.local');
    expect(sharedGroupOf(shared('api:10.96.3.4:443', 'api'))?.label).toBe('10.96.*');
    expect(sharedGroupOf(shared('api:localhost:8080', 'api'))).toBeNull();
  });

  it('groups files by directory, Kubernetes objects by resource and namespace, service accounts by namespace', () => {
    expect(sharedGroupOf(shared('data:file:/etc/secrets/token', 'data'))?.label).toBe('/etc/secrets/*');
    expect(sharedGroupOf(shared('data:k8s:secrets/agents/db', 'data'))?.label).toBe('k8s secrets in agents');
    expect(sharedGroupOf(shared('identity:system:serviceaccount:agents:research', 'identity'))?.label).toBe('service accounts of agents');
  });

  it("never groups a workload's own nodes, and keeps only groups of two or more", () => {
    expect(sharedGroupOf(shared('api:a.b.example:443', 'api', 'agents/x'))).toBeNull();
    const nodes = ['api:a.one.example:443', 'api:b.one.example:443', 'api:c.two.example:443'].map(
      (id): GraphNode => ({ id, kind: 'api', label: id, attributes: {}, firstSeen: '', lastSeen: '', count: 1 }),
    );
    expect([...sharedGroupsOf(nodes)]).toEqual(['group:api:*.one.example']);
  });
});
