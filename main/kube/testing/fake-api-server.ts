// For unit tests only: a small HTTP server speaking the list/watch protocol of one collection the way the API server
// does (limit/continue pages, resourceVersion, watch streams with bookmarks, 410 Gone), so the store's paging, relist
// and reconnect logic is exercised over real sockets. Integration tests use the lab's real kube-apiserver instead.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../../shared/model/inventory.js';
import { KubeClient } from '../kube-client.js';

export interface FakeApiServer {
  url: string;
  client: KubeClient;
  objects: Map<string, KubeObject>;
  resourceVersion: number;
  /** Requests seen, as "METHOD path?query". */
  requests: string[];
  /** The Authorization header of each request. */
  authorizations: string[];
  /** Changes an object and sends the event to every open watch. */
  upsert(object: KubeObject): void;
  remove(name: string): void;
  /** Sends a bookmark to open watches. */
  bookmark(): void;
  /** Makes open watches fail with 410 Gone (as after etcd compaction), and watches from older versions too. */
  expireWatches(): void;
  /** Cuts every open watch connection without a clean end. */
  dropWatches(): void;
  openWatches(): number;
  close(): Promise<void>;
}

export function kubeConfigForUrl(url: string, token = 'test-token'): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
    users: [{ name: 'tester', token }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'tester' }],
    currentContext: 'fake',
  });
  return config;
}

export async function startFakeApiServer(collection = '/api/v1/pods', options: { forbidden?: boolean } = {}): Promise<FakeApiServer> {
  const watches = new Set<http.ServerResponse>();
  let compactedBelow = 0;
  const state = {
    objects: new Map<string, KubeObject>(),
    resourceVersion: 1,
    requests: [] as string[],
    authorizations: [] as string[],
  };
  const send = (type: string, object: unknown) => {
    for (const response of watches) response.write(`${JSON.stringify({ type, object })}\n`);
  };
  const server = http.createServer((request, response) => {
    state.requests.push(`${request.method} ${request.url}`);
    state.authorizations.push(request.headers.authorization ?? '');
    const url = new URL(request.url ?? '/', 'http://fake');
    if (url.pathname === '/version') {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ gitVersion: 'v1.32.0-fake' }));
      return;
    }
    if (url.pathname !== collection) {
      response.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Status', code: 404, reason: 'NotFound', message: 'not found' }));
      return;
    }
    if (options.forbidden) {
      const message = `pods is forbidden: User "tester" cannot list resource "pods" in API group "" at the cluster scope`;
      response.writeHead(403, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden', message }));
      return;
    }
    if (url.searchParams.get('watch') === '1') {
      const from = Number(url.searchParams.get('resourceVersion') ?? '0');
      response.writeHead(200, { 'Content-Type': 'application/json' });
      if (from < compactedBelow) {
        response.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } })}\n`);
        return;
      }
      watches.add(response);
      response.on('close', () => watches.delete(response));
      return;
    }
    const limit = Number(url.searchParams.get('limit') ?? '0') || Infinity;
    const start = Number(url.searchParams.get('continue') ?? '0');
    const all = [...state.objects.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const items = all.slice(start, start + limit);
    const next = start + limit < all.length ? String(start + limit) : undefined;
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: String(state.resourceVersion), ...(next ? { continue: next } : {}) }, items }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeApiServer = {
    url,
    client: new KubeClient(kubeConfigForUrl(url), 'fake'),
    get objects() {
      return state.objects;
    },
    get resourceVersion() {
      return state.resourceVersion;
    },
    set resourceVersion(value: number) {
      state.resourceVersion = value;
    },
    get requests() {
      return state.requests;
    },
    get authorizations() {
      return state.authorizations;
    },
    upsert(object) {
      state.resourceVersion++;
      const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(state.resourceVersion) } };
      const existed = state.objects.has(object.metadata.name);
      state.objects.set(object.metadata.name, stored);
      send(existed ? 'MODIFIED' : 'ADDED', stored);
    },
    remove(name) {
      const old = state.objects.get(name);
      if (!old) return;
      state.resourceVersion++;
      state.objects.delete(name);
      send('DELETED', { ...old, metadata: { ...old.metadata, resourceVersion: String(state.resourceVersion) } });
    },
    bookmark() {
      send('BOOKMARK', { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: String(state.resourceVersion) } });
    },
    expireWatches() {
      compactedBelow = state.resourceVersion;
      send('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' });
      for (const response of watches) response.end();
    },
    dropWatches() {
      for (const response of watches) response.socket?.destroy();
    },
    openWatches: () => watches.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of watches) response.socket?.destroy();
        server.close(() => resolve());
      }),
  };
  return fake;
}

export function fakePod(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels, managedFields: [{ manager: 'x' }] }, spec: { containers: [] } };
}
