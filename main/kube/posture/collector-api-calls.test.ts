import { describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../../../shared/model/event.js';
import type { KubeObject } from '../../../shared/model/inventory.js';
import { auditLineToEvent, type AuditEvent } from './audit-events.js';
import { apiServerAddresses, collectorApiView, requestInfo } from './collector-api-calls.js';
import { computePosture } from './rbac-posture.js';

describe('API request paths as the authorizer reads them', () => {
  it('finds verb, group, resource, namespace, name and subresource', () => {
    expect(requestInfo('GET', '/api/v1/namespaces/agents/configmaps?limit=5')).toEqual({ verb: 'list', apiGroup: '', resource: 'configmaps', namespace: 'agents' });
    expect(requestInfo('GET', '/api/v1/secrets')).toEqual({ verb: 'list', apiGroup: '', resource: 'secrets' });
    expect(requestInfo('GET', '/api/v1/namespaces/agents/secrets/db?x=1')).toEqual({ verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'agents', name: 'db' });
    expect(requestInfo('GET', '/apis/apps/v1/namespaces/a/deployments?watch=true')).toEqual({ verb: 'watch', apiGroup: 'apps', resource: 'deployments', namespace: 'a' });
    expect(requestInfo('GET', '/api/v1/watch/namespaces/a/pods')).toEqual({ verb: 'watch', apiGroup: '', resource: 'pods', namespace: 'a' });
    expect(requestInfo('POST', '/api/v1/namespaces/a/pods/p/exec?command=sh')).toEqual({ verb: 'create', apiGroup: '', resource: 'pods', namespace: 'a', name: 'p', subresource: 'exec' });
    expect(requestInfo('GET', '/api/v1/namespaces/agents')).toEqual({ verb: 'get', apiGroup: '', resource: 'namespaces', name: 'agents' });
    expect(requestInfo('DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings')).toEqual({ verb: 'deletecollection', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' });
    expect(requestInfo('PATCH', '/apis/networking.k8s.io/v1/namespaces/a/networkpolicies/q')).toMatchObject({ verb: 'patch', name: 'q' });
    expect(requestInfo('GET', '/version')).toBeUndefined();
    expect(requestInfo('GET', '/apis/apps/v1')).toBeUndefined();
  });
});

const pod = (namespace: string, name: string, serviceAccountName: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name }, spec: { serviceAccountName } });
const podRef = (namespace: string, name: string) => ({ namespace, name, uid: 'u' });
const base = (id: string, where: { namespace: string; name: string } | null) => ({
  id, time: `2026-11-22T10:00:0${id.length % 10}.000000000Z`, node: 'node-1', source: 'collector' as const,
  pod: where ? podRef(where.namespace, where.name) : null, containerId: where ? 'c' : null, process: null,
});
const request = (id: string, where: { namespace: string; name: string } | null, host: string, method: string, path: string, status = 200): RuntimeEvent => ({
  ...base(id, where), kind: 'http.request', details: { host, method, path, status },
});
const connect = (id: string, where: { namespace: string; name: string }, dstIp: string, dstPort: number, dnsName?: string): RuntimeEvent => ({
  ...base(id, where), kind: 'net.connect', details: { protocol: 'tcp', family: 4, srcIp: '10.244.0.12', srcPort: 40000, dstIp, dstPort, ...(dnsName ? { dnsName } : {}) },
});

const addresses = apiServerAddresses(
  'https://127.0.0.1:16443',
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ port: 443 }] } },
  { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.244.0.1' }], ports: [{ port: 16443 }] }] } as KubeObject,
);
const support = { namespace: 'agents', name: 'support-agent-1' };
const pods = [pod('agents', 'support-agent-1', 'support-agent'), pod('agents', 'research-agent-1', 'research-agent')];

describe("the collector's view of API calls", () => {
  it("credits decoded requests to the API server to the pod's service account and counts connections", () => {
    const view = collectorApiView(
      [
        request('e1', support, 'kubernetes.default.svc', 'GET', '/api/v1/namespaces/agents/configmaps?limit=5'),
        request('e2', support, 'api.weather.example', 'GET', '/v1/forecast'),
        request('e3', null, '127.0.0.1:16443', 'GET', '/api/v1/pods'),
        request('e4', support, '10.96.0.1:443', 'GET', '/api/v1/secrets', 403),
        connect('e5', support, '10.96.0.1', 443, 'kubernetes.default.svc'),
        connect('e6', { namespace: 'agents', name: 'research-agent-1' }, '10.244.0.1', 16443),
        connect('e7', support, '198.51.100.20', 443, 'api.weather.example'),
      ],
      pods,
      addresses,
    );
    expect(view.calls.map((c) => [c.source, c.details.user, c.details.verb, c.details.resource, c.details.namespace, c.details.responseCode])).toEqual([
      ['collector', 'system:serviceaccount:agents:support-agent', 'list', 'configmaps', 'agents', 200],
      ['collector', 'system:serviceaccount:agents:support-agent', 'list', 'secrets', undefined, 403],
    ]);
    expect(view.calls[0]!.details.userAgent).toBe('seen by the collector on node-1 (pod agents/support-agent-1, service account support-agent)');
    expect(view.fromOutsidePods).toBe(1);
    expect(Object.fromEntries(view.connections)).toEqual({ 'system:serviceaccount:agents:support-agent': 1, 'system:serviceaccount:agents:research-agent': 1 });
  });

  it('merges with the audit log: the use says where it was seen, counted once when both saw it', () => {
    const audit = (n: number): AuditEvent => {
      const result = auditLineToEvent(JSON.stringify({
        kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: `a${n}`, stage: 'ResponseComplete', verb: 'list', user: { username: 'system:serviceaccount:agents:support-agent' },
        objectRef: { resource: 'configmaps', namespace: 'agents', apiVersion: 'v1' }, responseStatus: { code: 200 }, stageTimestamp: '2026-11-22T10:00:00.000000Z',
      }));
      if (!('event' in result)) throw new Error('bad audit line');
      return result.event;
    };
    const view = collectorApiView(
      [
        request('e1', support, 'kubernetes.default.svc', 'GET', '/api/v1/namespaces/agents/configmaps'),
        request('e2', support, 'kubernetes.default.svc', 'GET', '/api/v1/namespaces/agents/pods'),
        connect('e3', { namespace: 'agents', name: 'research-agent-1' }, '10.96.0.1', 443),
      ],
      pods,
      addresses,
    );
    const report = computePosture({
      clusterId: 'c', context: 'ctx',
      rbac: { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [] },
      serviceAccounts: [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { namespace: 'agents', name: 'support-agent' } },
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { namespace: 'agents', name: 'research-agent' } },
      ],
      pods,
      calls: [audit(1), audit(2), ...view.calls],
      apiConnections: view.connections,
      sources: ['audit.log', 'collector'],
    });
    const supportPosture = report.serviceAccounts.find((s) => s.name === 'support-agent')!;
    expect(supportPosture.used).toEqual(['list configmaps in its own namespace (2×; audit log and collector)', 'list pods in its own namespace (1×; seen by the collector)']);
    expect(supportPosture.summary).toBe('has no grants beyond the platform defaults; used: list configmaps in its own namespace, list pods in its own namespace');
    const research = report.serviceAccounts.find((s) => s.name === 'research-agent')!;
    expect(research.summary).toBe('has no grants beyond the platform defaults; used: no request decoded, but 1 connection to the API server seen by the collector');
  });
});
