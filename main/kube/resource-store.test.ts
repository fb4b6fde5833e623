import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/model/inventory.js';
import { KINDS } from './resource-kinds.js';
import { ResourceStore, type InventoryDelta } from './resource-store.js';
import { fakePod, startFakeApiServer, type FakeApiServer } from './testing/fake-api-server.js';

let fake: FakeApiServer | undefined;
const controllers: AbortController[] = [];

afterEach(async () => {
  for (const c of controllers.splice(0)) c.abort();
  await fake?.close();
  fake = undefined;
});

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function started(store: ResourceStore): Promise<void> {
  const controller = new AbortController();
  controllers.push(controller);
  return store.start(controller.signal);
}

describe('ResourceStore', () => {
  it('lists every page with limit/continue and keeps objects self-describing without managedFields', async () => {
    fake = await startFakeApiServer();
    for (let i = 0; i < 1234; i++) fake.upsert(fakePod(`pod-${String(i).padStart(4, '0')}`));
    const store = new ResourceStore(fake.client, KINDS.Pod, { pageSize: 100, watch: false });
    await started(store);
    expect(store.objects.size).toBe(1234);
    expect(store.stats.pages).toBe(13);
    expect(fake.requests.filter((r) => r.includes('limit=100')).length).toBe(13);
    const pod = store.objects.get('default/pod-0042')!;
    expect(pod.kind).toBe('Pod');
    expect(pod.apiVersion).toBe('v1');
    expect(pod.metadata).not.toHaveProperty('managedFields');
    expect(store.resourceVersion).toBe(String(fake.resourceVersion));
  });

  it("drops kubectl's last-applied copy of an object and keeps its other annotations", async () => {
    fake = await startFakeApiServer();
    const applied = (name: string, extra: Record<string, string>): KubeObject => {
      const pod = fakePod(name);
      pod.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ kind: 'Pod', metadata: { name } }), ...extra };
      return pod;
    };
    fake.upsert(applied('only-last-applied', {}));
    fake.upsert(applied('annotated', { team: 'ml' }));
    const store = new ResourceStore(fake.client, KINDS.Pod, { watch: false });
    await started(store);
    expect(store.objects.get('default/only-last-applied')!.metadata).not.toHaveProperty('annotations');
    expect(store.objects.get('default/annotated')!.metadata.annotations).toEqual({ team: 'ml' });
  });

  it('follows a watch from the list resourceVersion, with bookmarks, and reports deltas', async () => {
    fake = await startFakeApiServer();
    fake.upsert(fakePod('a'));
    const deltas: InventoryDelta[] = [];
    const store = new ResourceStore(fake.client, KINDS.Pod, { onDelta: (d) => deltas.push(d) });
    await started(store);
    await until(() => fake!.openWatches() === 1, 'the watch to open');
    expect(fake.requests.at(-1)).toMatch(/watch=1&resourceVersion=2&allowWatchBookmarks=true/);
    fake.upsert(fakePod('b'));
    fake.upsert(fakePod('a', { changed: 'yes' }));
    fake.remove('b');
    await until(() => deltas.length === 3, 'three deltas');
    expect(deltas.map((d) => `${d.type} ${d.object.metadata.name}`)).toEqual(['added b', 'modified a', 'deleted b']);
    expect(store.objects.get('default/a')?.metadata.labels).toEqual({ changed: 'yes' });
    fake.resourceVersion += 10;
    fake.bookmark();
    await until(() => store.stats.bookmarks === 1, 'the bookmark');
    expect(store.resourceVersion).toBe(String(fake.resourceVersion));
  });

  it('lists again on 410 Gone and reports what changed while it was not watching', async () => {
    fake = await startFakeApiServer();
    fake.upsert(fakePod('stays'));
    fake.upsert(fakePod('goes'));
    const deltas: InventoryDelta[] = [];
    const store = new ResourceStore(fake.client, KINDS.Pod, { onDelta: (d) => deltas.push(d), backoff: { initialMs: 10, maxMs: 50 } });
    await started(store);
    await until(() => fake!.openWatches() === 1, 'the watch to open');
    // Changes the watch never delivers (as if they happened while the history was compacted away).
    fake.objects.delete('goes');
    fake.resourceVersion += 1;
    fake.objects.set('new', { ...fakePod('new'), metadata: { name: 'new', namespace: 'default', resourceVersion: String(fake.resourceVersion) } });
    fake.expireWatches();
    await until(() => store.stats.relists === 1 && fake!.openWatches() === 1, 'a relist and a new watch');
    expect([...store.objects.keys()].sort()).toEqual(['default/new', 'default/stays']);
    expect(deltas.map((d) => `${d.type} ${d.object.metadata.name}`).sort()).toEqual(['added new', 'deleted goes']);
  });

  it('reconnects with backoff after the connection drops, resuming from the last resourceVersion', async () => {
    fake = await startFakeApiServer();
    fake.upsert(fakePod('a'));
    const store = new ResourceStore(fake.client, KINDS.Pod, { backoff: { initialMs: 20, maxMs: 100 } });
    await started(store);
    await until(() => fake!.openWatches() === 1, 'the watch to open');
    fake.upsert(fakePod('b'));
    await until(() => store.objects.has('default/b'), 'pod b');
    const resumeFrom = store.resourceVersion;
    fake.dropWatches();
    await until(() => store.stats.reconnects >= 1 && fake!.openWatches() === 1, 'a reconnected watch');
    expect(fake.requests.at(-1)).toContain(`resourceVersion=${resumeFrom}`);
    fake.upsert(fakePod('c'));
    await until(() => store.objects.has('default/c'), 'pod c after the reconnect');
    expect(store.stats.lists).toBe(1);
  });

  it('marks a kind the user may not list as forbidden without failing, and fails on other errors', async () => {
    fake = await startFakeApiServer('/api/v1/pods', { forbidden: true });
    const forbidden = new ResourceStore(fake.client, KINDS.Pod, {});
    await started(forbidden);
    expect(forbidden.state).toBe('forbidden');
    expect(forbidden.lastError).toContain('cannot list resource "pods"');
    const missing = new ResourceStore(fake.client, KINDS.Deployment, {});
    await expect(started(missing)).rejects.toThrow(/HTTP 404/);
    expect(missing.state).toBe('failed');
  });
});
