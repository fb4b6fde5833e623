// Collector discovery against the lab's real API server: the DaemonSet and Service of native-bpf-collector/deploy
// (rendered by kustomize, as `kubectl apply -k` would install them) in a namespace of this test, two collector pods
// on two nodes — one ready, one not — and the collectors' Secret. The lab has no kubelet, so the ready pod sits on
// a node whose kubelet endpoint is a stand-in on 127.0.0.1 (kubelet-port-forward.ts) and whose "pod port" is the
// lab's real collector: `vigil events --context` then goes port-forward → kube-apiserver → WebSocket → collector
// for real. Checked independently with kubectl and with `vigil events --lab` on the same cursor.
import { readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabState } from '../../lab/lab-state.js';
import { discoverCollectors } from '../../../main/collector/discovery-collector-pods.js';
import { KubeconfigSet } from '../../../main/kube/kubeconfig-contexts.js';
import type { KubeClient } from '../../../main/kube/kube-client.js';
import { clusterCollectors } from '../../../main/gateway/cluster-collectors.js';
import { ensureLab, labSkipReason, REPO_ROOT } from '../lab-fixture.js';
import { kubectlBinary, kubectlJson, run, tempDir, vigilAsync } from './kube-lab.js';
import { startKubeletStandIn, type KubeletStandIn } from './kubelet-port-forward.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const NAMESPACE = 'vigil-discovery-test';
const NODE = 'vigil-discovery-node';
const READY_POD = 'vigil-collector-ready';
const UNREADY_POD = 'vigil-collector-starting';
const skip = labSkipReason();

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

function renderedDeploy(): Manifest[] {
  const result = run(kubectlBinary, ['kustomize', path.join(REPO_ROOT, 'native-bpf-collector/deploy')]);
  if (result.code !== 0) throw new Error(`kubectl kustomize failed: ${result.err}`);
  return loadAll(result.out) as Manifest[];
}

async function quietly(action: Promise<unknown>): Promise<void> {
  await action.catch(() => undefined);
}

async function removeEverything(admin: KubeClient): Promise<void> {
  const ns = `/api/v1/namespaces/${NAMESPACE}`;
  for (const pod of [READY_POD, UNREADY_POD]) await quietly(admin.request('DELETE', `${ns}/pods/${pod}`, { query: { gracePeriodSeconds: 0 } }));
  await quietly(admin.request('DELETE', `/apis/apps/v1/namespaces/${NAMESPACE}/daemonsets/vigil-collector`));
  await quietly(admin.request('DELETE', `${ns}/services/vigil-collector`));
  await quietly(admin.request('DELETE', `${ns}/secrets/vigil-collector-api`));
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${NAMESPACE}`;
  await quietly(admin.request('DELETE', `${rbac}/rolebindings/discovery-reader`));
  await quietly(admin.request('DELETE', `${rbac}/roles/discovery-reader`));
  for (const sa of ['vigil-collector', 'default', 'discovery-reader']) await quietly(admin.request('DELETE', `${ns}/serviceaccounts/${sa}`));
  await quietly(admin.request('DELETE', `/api/v1/nodes/${NODE}`));
  // The lab runs no namespace controller: once the namespace is empty, finalize it by hand as that controller would.
  await quietly(admin.request('DELETE', ns));
  await quietly(admin.request('PUT', `${ns}/finalize`, { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE }, spec: { finalizers: [] } } }));
}

/** A kubeconfig for a service account that may list DaemonSets, pods and Services in NAMESPACE, and nothing else. */
async function readerKubeconfig(admin: KubeClient, lab: LabState): Promise<string> {
  const ns = `/api/v1/namespaces/${NAMESPACE}`;
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${NAMESPACE}`;
  await quietly(admin.request('POST', `${ns}/serviceaccounts`, { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'discovery-reader' } } }));
  await quietly(admin.request('POST', `${rbac}/roles`, {
    body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'discovery-reader' }, rules: [
      { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list'] },
    ] },
  }));
  await quietly(admin.request('POST', `${rbac}/rolebindings`, {
    body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'discovery-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'discovery-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'discovery-reader', namespace: NAMESPACE }] },
  }));
  const token = await admin.request<{ status: { token: string } }>('POST', `${ns}/serviceaccounts/discovery-reader/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } },
  });
  const file = path.join(tempDir('vigil-discovery-reader-'), 'kubeconfig');
  writeFileSync(file, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'discovery-reader',
    clusters: [{ name: 'lab', cluster: { server: lab.apiserver.url, 'certificate-authority': lab.caFile } }],
    users: [{ name: 'discovery-reader', user: { token: token.status.token } }],
    contexts: [{ name: 'discovery-reader', context: { cluster: 'lab', user: 'discovery-reader', namespace: NAMESPACE } }],
  }));
  return file;
}

describe.skipIf(skip !== null)(`collector discovery in the lab${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: LabState;
  let admin: KubeClient;
  let kubelet: KubeletStandIn;
  let labCollectorPort = 0;
  let noCollector: string | null = null;

  beforeAll(async () => {
    lab = await ensureLab();
    if (!lab.collector) {
      noCollector = `the lab has no collector${lab.collectorError ? `: ${lab.collectorError}` : ''}`;
      return;
    }
    labCollectorPort = Number(new URL(lab.collector.url).port);
    admin = new KubeconfigSet([lab.kubeconfig]).client(lab.contexts.admin);
    kubelet = await startKubeletStandIn();
    await removeEverything(admin);
    const ns = `/api/v1/namespaces/${NAMESPACE}`;
    await admin.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } } });
    for (const sa of ['default', 'vigil-collector']) await admin.request('POST', `${ns}/serviceaccounts`, { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa } } });
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    await admin.request('POST', `${ns}/secrets`, {
      body: {
        apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vigil-collector-api' },
        data: { token: b64(readFileSync(lab.collector.tokenFile, 'utf8')), 'ca.crt': b64(readFileSync(lab.caFile, 'utf8')), 'tls.crt': b64(readFileSync(path.join(path.dirname(lab.caFile), 'collector.crt'), 'utf8')) },
      },
    });
    const deploy = renderedDeploy();
    const daemonSet = deploy.find((m) => m.kind === 'DaemonSet')!;
    const service = deploy.find((m) => m.kind === 'Service')!;
    const createdDaemonSet = await admin.request<Manifest>('POST', `/apis/apps/v1/namespaces/${NAMESPACE}/daemonsets`, { body: { ...daemonSet, metadata: { ...daemonSet.metadata, namespace: NAMESPACE } } });
    await admin.request('PUT', `/apis/apps/v1/namespaces/${NAMESPACE}/daemonsets/vigil-collector/status`, {
      body: { ...createdDaemonSet, status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 1, numberAvailable: 1 } },
    });
    await admin.request('POST', `${ns}/services`, { body: { ...service, metadata: { ...service.metadata, namespace: NAMESPACE } } });
    // A node whose kubelet endpoint is the stand-in: the API server sends port-forwards of its pods there.
    const node = await admin.request<Manifest & { status?: unknown }>('POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE } } });
    await admin.request('PUT', `/api/v1/nodes/${NODE}/status`, {
      body: { ...node, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'stand-in kubelet for the port-forward test' }] } },
    });
    const template = (daemonSet.spec as { template: { metadata: { labels: Record<string, string> }; spec: { containers: { ports: { containerPort: number }[] }[] } } }).template;
    const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'vigil-collector', uid: createdDaemonSet.metadata.uid, controller: true };
    const pod = async (name: string, nodeName: string, ready: boolean) => {
      // The "pod" serves the collector API where the lab's collector listens, so the port is the lab's.
      const containers = template.spec.containers.map((c) => ({ ...c, ports: c.ports.map((p) => ({ ...p, containerPort: labCollectorPort })) }));
      const created = await admin.request<Manifest>('POST', `${ns}/pods`, {
        body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: template.metadata.labels, ownerReferences: [owner] }, spec: { ...template.spec, containers, nodeName } },
      });
      await admin.request('PUT', `${ns}/pods/${name}/status`, {
        body: {
          ...created,
          status: {
            phase: 'Running', podIP: '127.0.0.1', podIPs: [{ ip: '127.0.0.1' }],
            conditions: [ready ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [collector]' }],
          },
        },
      });
    };
    await pod(READY_POD, NODE, true);
    await pod(UNREADY_POD, 'lab-node-2', false);
  }, 180_000);

  afterAll(async () => {
    if (admin) await removeEverything(admin);
    await kubelet?.close();
  });

  it('finds the DaemonSet, its pods per node with readiness, its Service and Secret as kubectl sees them', async (context) => {
    if (noCollector) return context.skip(noCollector);
    const found = await discoverCollectors(admin);
    const ours = found.daemonSets.filter((d) => d.namespace === NAMESPACE);
    expect(ours).toEqual([{ namespace: NAMESPACE, name: 'vigil-collector', desired: 2, ready: 1, secretName: 'vigil-collector-api', services: [{ name: 'vigil-collector', clusterIP: expect.any(String), port: 7443 }] }]);
    const pods = found.pods.filter((p) => p.namespace === NAMESPACE);
    const kubectlPods = kubectlJson(lab, 'get', 'pods', '-n', NAMESPACE, '-l', 'app.kubernetes.io/name=vigil-collector').items.map((p) => p.metadata.name).sort();
    expect(pods.map((p) => p.name).sort()).toEqual(kubectlPods);
    expect(pods).toEqual([
      { namespace: NAMESPACE, name: UNREADY_POD, node: 'lab-node-2', ip: '127.0.0.1', port: labCollectorPort, phase: 'Running', ready: false, notReadyReason: 'containers with unready status: [collector]', daemonSet: 'vigil-collector' },
      { namespace: NAMESPACE, name: READY_POD, node: NODE, ip: '127.0.0.1', port: labCollectorPort, phase: 'Running', ready: true, daemonSet: 'vigil-collector' },
    ]);
    expect((await discoverCollectors(admin, { namespace: 'agents' })).daemonSets).toEqual([]);
  });

  it('vigil events --context streams the same events as --lab, port-forwarded through the API server', async (context) => {
    if (noCollector) return context.skip(noCollector);
    const env = { KUBECONFIG: lab.kubeconfig };
    const health = JSON.parse(run('curl', ['-s', '--cacert', lab.caFile, '-H', `Authorization: Bearer ${readFileSync(lab.collector!.tokenFile, 'utf8').trim()}`, `${lab.collector!.url}/healthz`]).out) as { buffer: { newestCursor: number } };
    const after = String(Math.max(0, health.buffer.newestCursor - 20));
    const streamsBefore = kubelet.streams.length;
    const viaContext = await vigilAsync(['events', '--context', lab.contexts.admin, '--node', NODE, '--after', after, '--json'], env);
    expect(viaContext.code, viaContext.err).toBe(0);
    expect(viaContext.err).toContain(`vigil events: collector ${NAMESPACE}/${READY_POD} on node ${NODE} via port-forward (https://127.0.0.1:`);
    expect(viaContext.err).toContain(`token from Secret ${NAMESPACE}/vigil-collector-api`);
    // The bytes went through the API server to the node's kubelet endpoint: the stand-in saw the streams.
    expect(kubelet.streams.slice(streamsBefore)).toContain(`${NAMESPACE}/${READY_POD}:${labCollectorPort}`);
    const ids = (text: string) => text.trim().split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id);
    const viaLab = await vigilAsync(['events', '--lab', '--after', after, '--json']);
    const contextIds = ids(viaContext.out);
    expect(contextIds.length).toBeGreaterThanOrEqual(20);
    expect(ids(viaLab.out).slice(0, 20)).toEqual(contextIds.slice(0, 20));

    const direct = await vigilAsync(['events', '--context', lab.contexts.admin, '--node', NODE, '--via', 'direct', '--after', after, '--json'], env);
    expect(direct.code, direct.err).toBe(0);
    expect(direct.err).toContain(`via direct (https://127.0.0.1:${labCollectorPort})`);
    expect(ids(direct.out).slice(0, 20)).toEqual(contextIds.slice(0, 20));
  });

  it('says what is wrong: a node whose collector is not ready, a user who may not read the token or port-forward', async (context) => {
    if (noCollector) return context.skip(noCollector);
    const env = { KUBECONFIG: lab.kubeconfig };
    const notReady = await vigilAsync(['events', '--context', lab.contexts.admin, '--collector-namespace', NAMESPACE, '--node', 'lab-node-2'], env);
    expect(notReady.code).toBe(1);
    expect(notReady.err).toContain(`the collector pod on node lab-node-2 is not ready: ${NAMESPACE}/${UNREADY_POD}: containers with unready status: [collector]`);
    // A user who may find collectors (list DaemonSets, pods, Services in the namespace) but not read Secrets nor
    // open port-forwards: a service account of this test with just that Role.
    const reader = await readerKubeconfig(admin, lab);
    const noSecret = await vigilAsync(['events', '--context', 'discovery-reader', '--collector-namespace', NAMESPACE], { KUBECONFIG: reader });
    expect(noSecret.code).toBe(1);
    expect(noSecret.err).toContain(`discovery-reader may not read Secret ${NAMESPACE}/vigil-collector-api, which holds the collector's token: give --token-file and --ca-file instead`);
    const dir = tempDir('vigil-discovery-');
    writeFileSync(path.join(dir, 'token'), readFileSync(lab.collector!.tokenFile));
    const withFiles = await vigilAsync(['events', '--context', 'discovery-reader', '--collector-namespace', NAMESPACE, '--token-file', path.join(dir, 'token'), '--ca-file', lab.caFile], { KUBECONFIG: reader });
    expect(withFiles.code).toBe(1);
    expect(withFiles.err).toContain(`port-forward to ${NAMESPACE}/${READY_POD}:${labCollectorPort} through the API server failed: Unexpected server response: 403`);
    const usage = await vigilAsync(['events', '--context', lab.contexts.admin, '--lab'], env);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('give either --lab or --context, not both');
  });

  it('clusters.collectors shows each node: the port-forwarded collector healthy with its rate and loss, the other not ready', async (context) => {
    if (noCollector) return context.skip(noCollector);
    const contextId = new KubeconfigSet([lab.kubeconfig]).find(lab.contexts.admin)!.id;
    const answer = await clusterCollectors({ contextId, source: 'lab' });
    expect(answer.credentials).toBe(`Secret ${NAMESPACE}/vigil-collector-api`);
    const ready = answer.nodes.find((n) => n.node === NODE)!;
    expect(ready).toMatchObject({ pod: `${NAMESPACE}/${READY_POD}`, route: 'port-forward', ready: true, status: { state: 'healthy', node: 'lab-node-1' } });
    expect(ready.eventsPerSecond).toBeGreaterThanOrEqual(0);
    expect(ready.lostEvents).toBeGreaterThanOrEqual(0);
    expect(ready.unattributedEvents).toBeGreaterThanOrEqual(0);
    expect(answer.nodes.find((n) => n.node === 'lab-node-2')).toMatchObject({ ready: false, status: { state: 'unreachable', message: 'the pod is not ready (containers with unready status: [collector])' } });
  });
});
