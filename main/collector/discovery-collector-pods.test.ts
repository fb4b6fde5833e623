import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../kube/kube-client.js';
import { kubeConfigForUrl } from '../kube/testing/fake-api-server.js';
import { discoverCollectors } from './discovery-collector-pods.js';

// An API server stand-in for a user who may not list DaemonSets cluster-wide: 403 there, lists in vigil-system.
// (The lab test runs discovery against the real API server; this covers the fallback the lab's users do not hit.)
const requests: string[] = [];
let server: http.Server;
let client: KubeClient;

const daemonSet = {
  metadata: { name: 'vigil-collector', namespace: 'vigil-system', uid: 'ds-uid' },
  spec: {
    selector: { matchLabels: { 'app.kubernetes.io/component': 'collector', 'app.kubernetes.io/name': 'vigil-collector' } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/component': 'collector', 'app.kubernetes.io/name': 'vigil-collector', 'app.kubernetes.io/part-of': 'vigil' } },
      spec: { containers: [{ name: 'collector', ports: [{ name: 'api', containerPort: 7443 }] }], volumes: [{ name: 'api', secret: { secretName: 'collector-tls' } }] },
    },
  },
  status: { desiredNumberScheduled: 2, numberReady: 1 },
};
const pod = (name: string, node: string, ready: boolean, owner = 'ds-uid') => ({
  metadata: { name, namespace: 'vigil-system', ownerReferences: [{ kind: 'DaemonSet', uid: owner }] },
  spec: { nodeName: node, containers: [{ name: 'collector', ports: [{ name: 'api', containerPort: 7443 }] }] },
  status: { phase: 'Running', podIP: '10.1.0.5', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://api');
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/apis/apps/v1/daemonsets') return json(403, { kind: 'Status', reason: 'Forbidden', message: 'daemonsets.apps is forbidden', code: 403 });
    if (url.pathname === '/apis/apps/v1/namespaces/vigil-system/daemonsets') return json(200, { items: [daemonSet] });
    if (url.pathname === '/api/v1/namespaces/vigil-system/pods') {
      return json(200, { items: [pod('vigil-collector-b', 'node-b', false), pod('vigil-collector-a', 'node-a', true), pod('other-owner', 'node-a', true, 'someone-else')] });
    }
    if (url.pathname === '/api/v1/namespaces/vigil-system/services') {
      return json(200, { items: [{ metadata: { name: 'vigil-collector' }, spec: { selector: { 'app.kubernetes.io/name': 'vigil-collector' }, clusterIP: '10.96.0.9', ports: [{ name: 'api', port: 7443 }] } }, { metadata: { name: 'unrelated' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } }] });
    }
    json(404, { kind: 'Status', reason: 'NotFound', code: 404 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new KubeClient(kubeConfigForUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), 'fake');
});
afterAll(() => server?.close());

describe('collector discovery', () => {
  it('falls back to vigil-system when DaemonSets cannot be listed cluster-wide, and says so', async () => {
    const found = await discoverCollectors(client);
    expect(found.searched).toBe('vigil-system');
    expect(found.problems).toEqual(['cannot list DaemonSets in all namespaces (forbidden), so only vigil-system was searched']);
    expect(found.daemonSets).toEqual([
      { namespace: 'vigil-system', name: 'vigil-collector', desired: 2, ready: 1, secretName: 'collector-tls', services: [{ name: 'vigil-collector', clusterIP: '10.96.0.9', port: 7443 }] },
    ]);
    // Sorted by node; a pod another controller owns is not the DaemonSet's, labels notwithstanding.
    expect(found.pods.map((p) => [p.node, p.name, p.ready, p.notReadyReason])).toEqual([
      ['node-a', 'vigil-collector-a', true, undefined],
      ['node-b', 'vigil-collector-b', false, 'Ready condition is False'],
    ]);
    expect(requests).toContain('/api/v1/namespaces/vigil-system/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Dcollector%2Capp.kubernetes.io%2Fname%3Dvigil-collector');
  });
});
