// Benchmark: inventory of a cluster holding 20,000 Pod objects (in the namespace vigil-bench, admin rights, removed
// afterwards). The cluster is a private kube-apiserver + etcd from the lab's own binaries (_kube-bench-apiserver.ts):
// the shared lab is restarted by other test runs during the minutes this takes. Each measurement runs in a fresh
// child process so its RSS is its own; the children run this file bundled by esbuild under plain node, as the app's
// main process and the CLI run (under tsx, the loader alone adds ≈ 90 MiB before anything is listed):
//   vigil     main/kube ResourceStore: paginated list (limit 250; also 500 as kubectl uses) → time to first complete list, RSS, longest
//             event-loop block while listing (monitorEventLoopDelay); then watch events/s while all pods are deleted
//   baseline  @kubernetes/client-node's generated CoreV1Api.listNamespacedPod with the same pagination
// Goal (issue 5): first list < 5 s, < 300 MiB, no event-loop block > 100 ms. Figures are printed, never asserted.
// Run: npx tsx test/bench/kube-inventory.ts [POD_COUNT]   (needs the lab's control-plane binaries: scripts/install/lab.sh)
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { build } from 'esbuild';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CoreV1Api } from '@kubernetes/client-node';
import { KubeconfigSet } from '../../main/kube/kubeconfig-contexts.js';
import type { KubeClient } from '../../main/kube/kube-client.js';
import { KINDS } from '../../main/kube/resource-kinds.js';
import { ResourceStore } from '../../main/kube/resource-store.js';
import { startBenchApiServer } from './_kube-bench-apiserver.js';

/** The cluster the measurements talk to (passed to the child processes through the environment). */
interface LabState {
  kubeconfig: string;
  contexts: { admin: string };
}

const NAMESPACE = 'vigil-bench';
const PAGE = 250;

interface Figures {
  /** RSS once the modules are loaded, before listing: @kubernetes/client-node alone is most of it. */
  idleRssMiB: number;
  listMs: number;
  objects: number;
  rssMiB: number;
  heapMiB: number;
  /** After a full GC once the list is held: the settled footprint, and the heap the objects themselves keep. */
  settledRssMiB: number;
  objectsHeapMiB: number;
  maxLoopBlockMs: number;
  watchEventsPerSecond?: number;
  watchMaxLoopBlockMs?: number;
}

function adminClient(lab: LabState): { set: KubeconfigSet; client: KubeClient } {
  const set = new KubeconfigSet([lab.kubeconfig]);
  return { set, client: set.client(lab.contexts.admin, 120_000) };
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A full GC (the bench runs with --expose-gc), then the heap in use. */
function settledHeap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

async function measureVigil(lab: LabState, withWatch: boolean, pageSize = PAGE): Promise<Figures> {
  const { client } = adminClient(lab);
  const idleRssMiB = mib(process.memoryUsage().rss);
  const heapBefore = settledHeap();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const controller = new AbortController();
  const store = new ResourceStore(client, KINDS.Pod, { namespace: NAMESPACE, pageSize, watch: withWatch });
  loop.enable();
  const started = performance.now();
  await store.start(controller.signal);
  const listMs = performance.now() - started;
  loop.disable();
  const memory = process.memoryUsage();
  const objectsHeapMiB = mib(settledHeap() - heapBefore);
  const figures: Figures = {
    idleRssMiB, listMs, objects: store.objects.size, rssMiB: mib(memory.rss), heapMiB: mib(memory.heapUsed),
    settledRssMiB: mib(process.memoryUsage().rss), objectsHeapMiB, maxLoopBlockMs: loop.max / 1e6,
  };
  if (withWatch) {
    while (store.state !== 'watching') await new Promise((r) => setTimeout(r, 10));
    const watchLoop = monitorEventLoopDelay({ resolution: 10 });
    watchLoop.enable();
    const before = store.stats.watchEvents;
    const watchStarted = performance.now();
    // Every pod deleted, in label groups (one delete-collection of 20,000 outlasts the API server's 60 s request
    // limit): the watch gets one DELETED event per pod, as fast as the server deletes and sends them.
    await deleteAllPods(client);
    while (store.objects.size > 0) await new Promise((r) => setTimeout(r, 5));
    const seconds = (performance.now() - watchStarted) / 1000;
    watchLoop.disable();
    figures.watchEventsPerSecond = Math.round((store.stats.watchEvents - before) / seconds);
    figures.watchMaxLoopBlockMs = watchLoop.max / 1e6;
  }
  controller.abort();
  return figures;
}

async function measureBaseline(lab: LabState): Promise<Figures> {
  const { set } = adminClient(lab);
  const api = set.kubeConfigFor(lab.contexts.admin).makeApiClient(CoreV1Api);
  const idleRssMiB = mib(process.memoryUsage().rss);
  const heapBefore = settledHeap();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  const items: unknown[] = [];
  let token: string | undefined;
  do {
    const page = await api.listNamespacedPod({ namespace: NAMESPACE, limit: PAGE, _continue: token });
    items.push(...page.items);
    token = page.metadata?._continue || undefined;
  } while (token);
  const listMs = performance.now() - started;
  loop.disable();
  const memory = process.memoryUsage();
  const objectsHeapMiB = mib(settledHeap() - heapBefore);
  return {
    idleRssMiB, listMs, objects: items.length, rssMiB: mib(memory.rss), heapMiB: mib(memory.heapUsed),
    settledRssMiB: mib(process.memoryUsage().rss), objectsHeapMiB, maxLoopBlockMs: loop.max / 1e6,
  };
}

let childBundle: Promise<string> | undefined;

/** This file bundled (our code inlined, packages from node_modules) into a temp dir that links node_modules. */
function bundledChild(): Promise<string> {
  childBundle ??= (async () => {
    const source = fileURLToPath(import.meta.url);
    const root = path.resolve(path.dirname(source), '../..');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-kube-bench-'));
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const outfile = path.join(dir, 'kube-inventory-child.mjs');
    await build({ entryPoints: [source], bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', outfile, logLevel: 'warning' });
    return outfile;
  })();
  return childBundle;
}

async function runChild(mode: string): Promise<Figures> {
  const script = await bundledChild();
  return new Promise((resolve, reject) => {
    const child = fork(script, ['--child', mode], { stdio: 'inherit', execArgv: ['--expose-gc'] });
    child.once('message', (message) => resolve(message as Figures));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`${mode} measurement exited ${code}`))));
  });
}

async function createPods(client: KubeClient, count: number): Promise<number> {
  await client.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } } }).catch((error: { isAlreadyExists?: boolean }) => {
    if (!error.isAlreadyExists) throw error;
  });
  // The lab runs no service-account controller, and pod admission needs the namespace's default service account.
  await client.request('POST', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts`, { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } }).catch((error: { isAlreadyExists?: boolean }) => {
    if (!error.isAlreadyExists) throw error;
  });
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const name = `bench-${String(i).padStart(5, '0')}`;
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: NAMESPACE, labels: { app: `bench-${i % LABEL_GROUPS}`, 'vigil.dev/bench': 'true' } },
        spec: { containers: [{ name: 'app', image: 'registry.example/bench:1', ports: [{ containerPort: 8080 }], env: [{ name: 'INDEX', value: String(i) }] }] },
      };
      await client.request('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, { body: pod }).catch((error: { isAlreadyExists?: boolean }) => {
        if (!error.isAlreadyExists) throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return (performance.now() - started) / 1000;
}

/** The user's path: the bundled `vigil inventory` CLI (no tsx), its wall time and peak RSS from /usr/bin/time. */
function cliFigures(lab: LabState): string {
  const vigil = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../bin/vigil');
  spawnSync(vigil, ['--version']);
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-v', vigil, 'inventory', '--context', lab.contexts.admin, '--namespace', NAMESPACE, '--json'], {
    env: { ...process.env, KUBECONFIG: lab.kubeconfig },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const seconds = (performance.now() - started) / 1000;
  const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr ?? '');
  if (result.status !== 0 || !peak) return `vigil inventory CLI: failed (${(result.stderr ?? '').slice(-300)})`;
  const pods = (result.stdout.match(/"kind":"Pod"/g) ?? []).length;
  return `vigil inventory CLI (bundled, every kind, --json to a pipe): ${pods} pods in ${seconds.toFixed(2)} s wall, peak RSS ${Math.round(Number(peak[1]) / 1024)} MiB`;
}

const LABEL_GROUPS = 50;

async function deleteAllPods(client: KubeClient): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let group = next++; group < LABEL_GROUPS; group = next++) {
      await client.request('DELETE', `/api/v1/namespaces/${NAMESPACE}/pods`, { query: { labelSelector: `app=bench-${group}` }, timeoutMs: 300_000 }).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  await client.request('DELETE', `/api/v1/namespaces/${NAMESPACE}/pods`, { timeoutMs: 300_000 }).catch(() => undefined);
}

async function existingPods(client: KubeClient): Promise<number> {
  const page = await client
    .request<{ items?: unknown[]; metadata?: { remainingItemCount?: number } }>('GET', `/api/v1/namespaces/${NAMESPACE}/pods`, { query: { limit: 1 } })
    .catch(() => ({ items: [] as unknown[], metadata: { remainingItemCount: 0 } }));
  return (page.items?.length ?? 0) + (page.metadata?.remainingItemCount ?? 0);
}

async function cleanUp(client: KubeClient): Promise<void> {
  await deleteAllPods(client);
  await client.request('DELETE', `/api/v1/namespaces/${NAMESPACE}`).catch(() => undefined);
  // The lab runs no namespace controller: finish the deletion by clearing the finalizer, as that controller would.
  await client
    .request('PUT', `/api/v1/namespaces/${NAMESPACE}/finalize`, { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE }, spec: { finalizers: [] } } })
    .catch(() => undefined);
}

async function main(): Promise<void> {
  const childIndex = process.argv.indexOf('--child');
  if (childIndex >= 0) {
    const lab: LabState = { kubeconfig: process.env.VIGIL_BENCH_KUBECONFIG!, contexts: { admin: process.env.VIGIL_BENCH_CONTEXT! } };
    const mode = process.argv[childIndex + 1];
    const figures = mode === 'baseline' ? await measureBaseline(lab) : await measureVigil(lab, mode === 'vigil-watch', mode === 'vigil-500' ? 500 : PAGE);
    process.send!(figures, () => process.exit(0));
    return;
  }
  const server = await startBenchApiServer();
  if (!server) {
    console.log('kube-inventory: no kube-apiserver/etcd binaries in the cache (run scripts/install/lab.sh); nothing measured');
    return;
  }
  process.env.VIGIL_BENCH_KUBECONFIG = server.kubeconfig;
  process.env.VIGIL_BENCH_CONTEXT = server.context;
  const lab: LabState = { kubeconfig: server.kubeconfig, contexts: { admin: server.context } };
  try {
    await measureAll(lab);
  } finally {
    server.stop();
  }
}

async function measureAll(lab: LabState): Promise<void> {
  const count = Number(process.argv[2] ?? 20_000);
  const { client } = adminClient(lab);
  console.log(`kube-inventory: creating ${count} pods in namespace ${NAMESPACE} of a private kube-apiserver…`);
  try {
    const present = await existingPods(client);
    if (present >= count) {
      console.log(`  ${present} pods are already there (an earlier run's); not creating more`);
    } else {
      const createSeconds = await createPods(client, count);
      console.log(`  created in ${createSeconds.toFixed(1)} s (${Math.round(count / createSeconds)} pods/s through the API server)`);
    }
    const row = (name: string, f: Figures) =>
      `  ${name.padEnd(30)} ${f.objects} pods  first list ${(f.listMs / 1000).toFixed(2)} s  RSS ${f.rssMiB} MiB (${f.idleRssMiB} before listing, ${f.settledRssMiB} after a GC)  heap ${f.heapMiB} MiB (objects ${f.objectsHeapMiB})  longest event-loop block ${f.maxLoopBlockMs.toFixed(1)} ms`;
    const vigil = await runChild('vigil');
    console.log(row('vigil ResourceStore', vigil));
    console.log(row('vigil ResourceStore, pages of 500', await runChild('vigil-500')));
    const baseline = await runChild('baseline');
    console.log(row('baseline client-node CoreV1Api', baseline));
    console.log(`  ${cliFigures(lab)}`);
    const watch = await runChild('vigil-watch');
    console.log(`  ratios vigil/baseline: list time ${(vigil.listMs / baseline.listMs).toFixed(2)}, RSS ${(vigil.rssMiB / baseline.rssMiB).toFixed(2)}, objects' heap ${(vigil.objectsHeapMiB / baseline.objectsHeapMiB).toFixed(2)}, longest block ${(vigil.maxLoopBlockMs / baseline.maxLoopBlockMs).toFixed(2)}`);
    console.log(`  watch: ${watch.watchEventsPerSecond} events/s processed while ${watch.objects} pods were deleted (bounded by the API server's deletion rate), longest event-loop block ${watch.watchMaxLoopBlockMs?.toFixed(1)} ms`);
    console.log(`  goal: first list < 5 s (${vigil.listMs < 5000 ? 'met' : 'NOT met'}), < 300 MiB (${vigil.rssMiB < 300 ? 'met' : 'NOT met'}), no block > 100 ms (${vigil.maxLoopBlockMs <= 100 ? 'met' : 'NOT met'})`);
  } finally {
    await cleanUp(client);
  }
}

await main();
