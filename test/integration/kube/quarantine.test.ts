// Quarantine against the lab's real API server, checked independently with kubectl: soft and hard create exactly the
// expected objects, release removes or restores them all, applying twice changes nothing, the auditor is refused with
// nothing changed, a concurrent write (409) is retried, a failure part-way is rolled back, and an unknown pod, a
// forbidden namespace and an unresponsive server each get a clear error.
import { createServer, type Server } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionLogEntry } from '../../../shared/model/action.js';
import type { LabState } from '../../lab/lab-state.js';
import { ActionLogFile } from '../../../main/kube/action-log-file.js';
import { KubeconfigSet } from '../../../main/kube/kubeconfig-contexts.js';
import { NoCollectorEnforcer } from '../../../main/kube/quarantine/node-enforcer.js';
import { quarantinePod } from '../../../main/kube/quarantine/quarantine-executor.js';
import { ensureLab, labSkipReason } from '../lab-fixture.js';
import { kubectlFor, kubectlJson, run, tempDir, vigil, kubectlBinary } from './kube-lab.js';

const skip = labSkipReason();

const SUPPORT = { namespace: 'agents', pod: 'support-agent-5d8b7c6f4-q9w2e', sa: 'support-agent' };
const MCP = { namespace: 'mcp', pod: 'mcp-files-0', sa: 'mcp-files' };

interface Named {
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string>; uid?: string };
  spec?: unknown;
  subjects?: { kind: string; name: string; namespace?: string }[];
}

describe.skipIf(skip !== null)(`quarantine against the lab${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: LabState;
  let kubectl: ReturnType<typeof kubectlFor>;
  let dir: string;
  let log: string;
  let savedBindings: Named[];

  const vigilJson = (...args: string[]) => {
    // The node-level step has its own test below; here the Kubernetes part is checked on its own.
    const result = vigil(['quarantine', ...args, '--lab', '--no-collector', '--json', '--action-log', log]);
    return { ...result, report: result.out ? (JSON.parse(result.out) as { summary: string; entry: ActionLogEntry }) : undefined };
  };
  const pod = (t: { namespace: string; pod: string }) => kubectlJson<Named>(lab, 'get', 'pod', '-n', t.namespace, t.pod);
  const vigilPolicies = (namespace: string) => kubectlJson(lab, 'get', 'networkpolicies', '-n', namespace, '-l', 'app.kubernetes.io/managed-by=vigil').items.map((p) => p.metadata.name).sort();
  const roleBinding = (namespace: string, name: string) => kubectlJson<Named>(lab, 'get', 'rolebinding', '-n', namespace, name);
  const quarantineLabels = (labels: Record<string, string> | undefined) => Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => k.startsWith('vigil.dev/')));

  beforeAll(async () => {
    lab = await ensureLab();
    kubectl = kubectlFor(lab);
    dir = tempDir('vigil-quarantine-');
    log = path.join(dir, 'actions.jsonl');
    savedBindings = kubectlJson<{ items: Named[] }>(lab, 'get', 'rolebindings', '-A').items;
  });

  afterAll(() => {
    if (!lab) return;
    // Whatever a failed assertion left behind: Vigil's policies and labels go, revoked subjects come back.
    kubectl('admin', 'delete', 'networkpolicies', '-A', '-l', 'app.kubernetes.io/managed-by=vigil', '--ignore-not-found');
    kubectl('admin', 'delete', 'networkpolicy', '-n', SUPPORT.namespace, 'allow-web-test', '--ignore-not-found');
    for (const t of [SUPPORT, MCP]) kubectl('admin', 'label', 'pod', '-n', t.namespace, t.pod, 'vigil.dev/quarantine-', 'vigil.dev/quarantine-pod-', 'concurrent-');
    for (const binding of savedBindings) {
      const { resourceVersion: _rv, uid: _uid, ...metadata } = binding.metadata as Record<string, unknown>;
      run(kubectlBinary, ['--kubeconfig', lab.kubeconfig, '--context', lab.contexts.admin, 'apply', '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', ...binding, metadata }),
      });
    }
  });

  it('soft quarantine creates exactly one policy (baseline + DNS) and two labels; applying twice changes nothing', () => {
    const podBefore = pod(SUPPORT);
    const first = vigilJson('soft', `${SUPPORT.namespace}/${SUPPORT.pod}`, '--allow', '203.0.113.20/32:443/TCP');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.report?.entry.outcome).toBe('applied');
    expect(first.report?.entry.dryRun.ok).toBe(true);
    expect(first.report?.entry.actor).toMatchObject({ username: 'vigil-lab-responder', source: 'self-subject-review' });

    expect(vigilPolicies(SUPPORT.namespace)).toEqual([`vigil-quarantine-soft-${SUPPORT.pod}`]);
    const policy = kubectlJson<Named>(lab, 'get', 'networkpolicy', '-n', SUPPORT.namespace, `vigil-quarantine-soft-${SUPPORT.pod}`);
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'vigil.dev/quarantine-pod': SUPPORT.pod } },
      policyTypes: ['Egress'],
      egress: [
        { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
        { to: [{ ipBlock: { cidr: '203.0.113.20/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      ],
    });
    const podAfter = pod(SUPPORT);
    expect(quarantineLabels(podAfter.metadata.labels)).toEqual({ 'vigil.dev/quarantine': 'soft', 'vigil.dev/quarantine-pod': SUPPORT.pod });
    // Only Vigil's labels were added: the controller's selector labels are untouched, so the pod keeps its owner.
    expect({ ...podAfter.metadata.labels, 'vigil.dev/quarantine': undefined, 'vigil.dev/quarantine-pod': undefined }).toEqual({ ...podBefore.metadata.labels, 'vigil.dev/quarantine': undefined, 'vigil.dev/quarantine-pod': undefined });

    const second = vigilJson('soft', `${SUPPORT.namespace}/${SUPPORT.pod}`, '--allow', '203.0.113.20/32:443/TCP');
    expect(second.code).toBe(0);
    expect(second.report?.entry.outcome).toBe('unchanged');
    expect(pod(SUPPORT).metadata.resourceVersion).toBe(podAfter.metadata.resourceVersion);
    expect(kubectlJson<Named>(lab, 'get', 'networkpolicy', '-n', SUPPORT.namespace, `vigil-quarantine-soft-${SUPPORT.pod}`).metadata.resourceVersion).toBe(policy.metadata.resourceVersion);
  });

  it('hard quarantine on top of soft: deny-all policy, soft policy removed, service-account subjects revoked (saved)', () => {
    const bindingBefore = roleBinding(SUPPORT.namespace, SUPPORT.sa);
    expect(bindingBefore.subjects).toEqual([{ kind: 'ServiceAccount', name: SUPPORT.sa, namespace: SUPPORT.namespace }]);
    const hard = vigilJson('hard', `${SUPPORT.namespace}/${SUPPORT.pod}`);
    expect(hard.err).toBe('');
    expect(hard.report?.entry.outcome).toBe('applied');
    expect(vigilPolicies(SUPPORT.namespace)).toEqual([`vigil-quarantine-hard-${SUPPORT.pod}`]);
    const policy = kubectlJson<Named>(lab, 'get', 'networkpolicy', '-n', SUPPORT.namespace, `vigil-quarantine-hard-${SUPPORT.pod}`);
    expect(policy.spec).toEqual({ podSelector: { matchLabels: { 'vigil.dev/quarantine-pod': SUPPORT.pod } }, policyTypes: ['Ingress', 'Egress'] });
    expect(quarantineLabels(pod(SUPPORT).metadata.labels)['vigil.dev/quarantine']).toBe('hard');
    expect(roleBinding(SUPPORT.namespace, SUPPORT.sa).subjects ?? []).toEqual([]);
    const saved = hard.report!.entry.objects.find((o) => o.kind === 'RoleBinding')!;
    expect(saved.before).toMatchObject({ subjects: bindingBefore.subjects });
    expect(hard.report!.entry.objects.find((o) => o.name === `vigil-quarantine-soft-${SUPPORT.pod}`)?.op).toBe('delete');
  });

  it('release undoes the hard quarantine exactly, then the soft one, leaving the cluster as it was', () => {
    const firstRelease = vigilJson('release', `${SUPPORT.namespace}/${SUPPORT.pod}`);
    expect(firstRelease.err).toBe('');
    expect(firstRelease.report?.entry.outcome).toBe('applied');
    expect(vigilPolicies(SUPPORT.namespace)).toEqual([`vigil-quarantine-soft-${SUPPORT.pod}`]);
    expect(quarantineLabels(pod(SUPPORT).metadata.labels)['vigil.dev/quarantine']).toBe('soft');
    expect(roleBinding(SUPPORT.namespace, SUPPORT.sa).subjects).toEqual([{ kind: 'ServiceAccount', name: SUPPORT.sa, namespace: SUPPORT.namespace }]);

    const secondRelease = vigilJson('release', `${SUPPORT.namespace}/${SUPPORT.pod}`);
    expect(secondRelease.report?.entry.outcome).toBe('applied');
    expect(vigilPolicies(SUPPORT.namespace)).toEqual([]);
    expect(quarantineLabels(pod(SUPPORT).metadata.labels)).toEqual({});

    const nothingLeft = vigilJson('release', `${SUPPORT.namespace}/${SUPPORT.pod}`);
    expect(nothingLeft.code).toBe(1);
    expect(nothingLeft.err).toContain('holds no unreleased quarantine');

    const verify = vigil(['actions', 'verify', log, '--json']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.out)).toMatchObject({ intact: true, entries: 5 });
  });

  it('the auditor gets a clear "not allowed" and nothing changes', () => {
    const before = pod(MCP);
    const result = vigil(['quarantine', 'soft', `${MCP.namespace}/${MCP.pod}`, '--lab', '--as', 'auditor', '--action-log', log]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/not allowed: vigil-lab-auditor may not create networkpolicies \(networking\.k8s\.io\) in namespace mcp .*; nothing was changed/);
    expect(vigilPolicies(MCP.namespace)).toEqual([]);
    expect(pod(MCP).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('--dry-run asks the server and changes nothing', () => {
    const before = pod(MCP);
    const result = vigilJson('hard', `${MCP.namespace}/${MCP.pod}`, '--dry-run');
    expect(result.code).toBe(0);
    expect(result.report?.entry.outcome).toBe('dry-run');
    expect(result.report?.entry.dryRun.objects.map((o) => `${o.op} ${o.kind}`)).toEqual(['create NetworkPolicy', 'none NetworkPolicy', 'update Pod', 'update RoleBinding']);
    expect(vigilPolicies(MCP.namespace)).toEqual([]);
    expect(pod(MCP).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(roleBinding(MCP.namespace, MCP.sa).subjects).toHaveLength(1);
    // The preview a responder reads before applying: the binding as it is, and as the server says it would become.
    const binding = result.report?.entry.objects.find((o) => o.kind === 'RoleBinding');
    expect(binding?.status).toBe('not-attempted');
    expect((binding?.before as { subjects?: unknown[] } | null)?.subjects).toHaveLength(1);
    expect((binding?.after as { subjects?: unknown[] } | null)?.subjects ?? []).toHaveLength(0);
  });

  it('reports a policy that still allows the pod\'s traffic', () => {
    const allowWeb = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-web-test', namespace: SUPPORT.namespace }, spec: { podSelector: { matchLabels: { app: 'support-agent' } }, ingress: [{ ports: [{ protocol: 'TCP', port: 8080 }] }] } };
    expect(run(kubectlBinary, ['--kubeconfig', lab.kubeconfig, '--context', lab.contexts.admin, 'apply', '-f', '-'], { input: JSON.stringify(allowWeb) }).code).toBe(0);
    const hard = vigilJson('hard', `${SUPPORT.namespace}/${SUPPORT.pod}`);
    expect(hard.report?.entry.warnings).toContain(
      "NetworkPolicy agents/allow-web-test selects the pod and still allows ingress from anywhere on 8080/TCP (policies are additive: Vigil's policy does not override it)",
    );
    expect(vigilJson('release', `${SUPPORT.namespace}/${SUPPORT.pod}`).report?.entry.outcome).toBe('applied');
    kubectl('admin', 'delete', 'networkpolicy', '-n', SUPPORT.namespace, 'allow-web-test');
  });

  it('a concurrent change (409 Conflict) is retried with a fresh read and not overwritten', async () => {
    const set = new KubeconfigSet([lab.kubeconfig]);
    const writes: string[] = [];
    const ctx = {
      client: set.client(lab.contexts.responder),
      clusterId: set.find(lab.contexts.responder)!.id,
      log: new ActionLogFile(log),
      nodeEnforcer: new NoCollectorEnforcer(),
      hooks: {
        async beforeWrite(spec: { kind: { kind: string } }, attempt: number) {
          writes.push(`${spec.kind.kind}#${attempt}`);
          // Between Vigil's read and its write of the pod, someone else labels it: Vigil's write must conflict.
          if (spec.kind.kind === 'Pod' && attempt === 0 && writes.filter((w) => w === 'Pod#0').length === 2) {
            kubectl('admin', 'label', 'pod', '-n', MCP.namespace, MCP.pod, 'concurrent=yes');
          }
        },
      },
    };
    const report = await quarantinePod(ctx, 'soft', { namespace: MCP.namespace, pod: MCP.pod }, {});
    expect(report.entry.outcome).toBe('applied');
    // Dry run (Pod#0), apply (Pod#0, conflicts), apply again after a fresh read (Pod#1).
    expect(writes.filter((w) => w.startsWith('Pod'))).toEqual(['Pod#0', 'Pod#0', 'Pod#1']);
    const labels = pod(MCP).metadata.labels ?? {};
    expect(labels.concurrent).toBe('yes');
    expect(labels['vigil.dev/quarantine']).toBe('soft');
    expect(vigilJson('release', `${MCP.namespace}/${MCP.pod}`).report?.entry.outcome).toBe('applied');
    expect(pod(MCP).metadata.labels?.concurrent).toBe('yes');
  });

  it('a failure part-way is rolled back object by object', async () => {
    const set = new KubeconfigSet([lab.kubeconfig]);
    let podWrites = 0;
    let annotations = 0;
    const ctx = {
      client: set.client(lab.contexts.responder),
      clusterId: set.find(lab.contexts.responder)!.id,
      log: new ActionLogFile(log),
      nodeEnforcer: new NoCollectorEnforcer(),
      hooks: {
        async beforeWrite(spec: { kind: { kind: string }; name: string }, attempt: number) {
          if (spec.kind.kind === 'Pod' && attempt === 0) podWrites++;
          // After the dry run passed, someone keeps changing the role binding between each read and write of Vigil's.
          if (spec.kind.kind === 'RoleBinding' && podWrites === 2) kubectl('admin', 'annotate', '--overwrite', 'rolebinding', '-n', MCP.namespace, MCP.sa, `churn=${++annotations}`);
        },
      },
    };
    const podBefore = pod(MCP);
    try {
      const report = await quarantinePod(ctx, 'hard', { namespace: MCP.namespace, pod: MCP.pod }, {});
      expect(report.entry.outcome).toBe('rolled-back');
      expect(report.entry.objects.map((o) => `${o.kind}:${o.status}`)).toEqual(['NetworkPolicy:rolled-back', 'NetworkPolicy:unchanged', 'Pod:rolled-back', 'RoleBinding:failed']);
      expect(report.entry.objects[3]?.error).toContain('kept changing under Vigil (6 conflicts in a row)');
      expect(report.summary).toContain('failed part-way; the 2 applied change(s) were rolled back');
      expect(vigilPolicies(MCP.namespace)).toEqual([]);
      expect(quarantineLabels(pod(MCP).metadata.labels)).toEqual(quarantineLabels(podBefore.metadata.labels));
      expect(roleBinding(MCP.namespace, MCP.sa).subjects).toHaveLength(1);
    } finally {
      kubectl('admin', 'annotate', 'rolebinding', '-n', MCP.namespace, MCP.sa, 'churn-');
    }
  });

  it('with the lab collector, the node-level step enforces on the pod\'s containers and release removes it', (ctx) => {
    if (!lab.collector) ctx.skip('skipped: the lab runs without a collector (build native-bpf-collector, then `vigil lab up`)');
    if (!lab.collector) return;
    const containerId = lab.pods.find((p) => p.namespace === MCP.namespace && p.name === MCP.pod)!.containerId;
    const soft = vigil(['quarantine', 'soft', `${MCP.namespace}/${MCP.pod}`, '--lab', '--json', '--action-log', log, '--allow', '203.0.113.20/32:443']);
    const entry = (JSON.parse(soft.out) as { entry: ActionLogEntry }).entry;
    expect(entry.nodeStep).toMatchObject({ mode: 'egress-allowlist', containerIds: [containerId] });
    expect(entry.nodeStep?.status, entry.nodeStep?.detail).toBe('applied');
    const status = run('curl', ['-sS', '--cacert', lab.collector.caFile, '-H', `Authorization: Bearer ${readFileSync(lab.collector.tokenFile, 'utf8').trim()}`, `${lab.collector.url}/v1/enforcement/${containerId}`]);
    expect(JSON.parse(status.out)).toMatchObject({ containerId, mode: 'enforce', policy: 'allowlist', allow: [{ cidr: '203.0.113.20/32', ports: [443] }] });
    const release = vigil(['quarantine', 'release', `${MCP.namespace}/${MCP.pod}`, '--lab', '--json', '--action-log', log]);
    expect((JSON.parse(release.out) as { entry: ActionLogEntry }).entry.nodeStep).toMatchObject({ mode: 'release', status: 'applied' });
    const after = run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', lab.collector.caFile, '-H', `Authorization: Bearer ${readFileSync(lab.collector.tokenFile, 'utf8').trim()}`, `${lab.collector.url}/v1/enforcement/${containerId}`]);
    expect(after.out).toBe('404');
  });

  it('an unknown pod gets a clear error', () => {
    const result = vigil(['quarantine', 'soft', 'agents/no-such-pod', '--lab', '--action-log', log]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("pod agents/no-such-pod does not exist in context 'vigil-lab-responder'; nothing was changed");
  });

  it('a namespace the context may not touch gets a clear "forbidden" error', () => {
    // A service account that may read pods in agents only, with a real token from the TokenRequest API.
    kubectl('admin', 'create', 'serviceaccount', '-n', 'agents', 'vigil-test-limited');
    kubectl('admin', 'create', 'rolebinding', '-n', 'agents', 'vigil-test-limited', '--clusterrole=view', '--serviceaccount=agents:vigil-test-limited');
    const token = kubectl('admin', 'create', 'token', '-n', 'agents', 'vigil-test-limited').out.trim();
    const server = lab.apiserver.url;
    const kubeconfig = path.join(dir, 'limited.yaml');
    writeFileSync(
      kubeconfig,
      `clusters:\n- name: lab\n  cluster: { server: '${server}', certificate-authority: '${lab.caFile}' }\nusers:\n- name: limited\n  user: { token: '${token}' }\ncontexts:\n- name: limited\n  context: { cluster: lab, user: limited }\n`,
    );
    try {
      const result = vigil(['quarantine', 'soft', 'payments/payments-db-0', '--context', 'limited', '--action-log', log], { KUBECONFIG: kubeconfig });
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/context 'limited' may not read pods in namespace payments \(the API server said: pods "payments-db-0" is forbidden.*; nothing was changed/);
    } finally {
      kubectl('admin', 'delete', 'rolebinding', '-n', 'agents', 'vigil-test-limited');
      kubectl('admin', 'delete', 'serviceaccount', '-n', 'agents', 'vigil-test-limited');
    }
  });

  it('an API server that does not answer gets a clear timeout error', async () => {
    const silent: Server = createServer(() => {
      // Accepts the connection and never answers (not even the TLS handshake).
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const kubeconfig = path.join(dir, 'silent.yaml');
    writeFileSync(kubeconfig, `clusters:\n- name: s\n  cluster: { server: 'https://127.0.0.1:${port}', insecure-skip-tls-verify: true }\nusers:\n- name: u\n  user: { token: t }\ncontexts:\n- name: silent\n  context: { cluster: s, user: u }\n`);
    try {
      // The kernel completes the TCP handshake even while this process waits for the CLI; nothing ever answers.
      const result = vigil(['quarantine', 'soft', 'agents/x', '--context', 'silent', '--timeout', '1500', '--action-log', log], { KUBECONFIG: kubeconfig });
      expect(result.code).toBe(1);
      expect(result.err).toContain("the API server of context 'silent' did not answer within 1500 ms while Vigil tried to read pods; nothing was changed");
    } finally {
      silent.close();
    }
  });

  it('the action log of all this verifies, and the verifier names an edited entry', () => {
    expect(vigil(['actions', 'verify', log]).code).toBe(0);
    const lines = readFileSync(log, 'utf8').split('\n');
    const entry = JSON.parse(lines[1]!) as { target: { pod: string } };
    entry.target.pod = 'someone-else';
    lines[1] = JSON.stringify(entry);
    const edited = path.join(dir, 'edited.jsonl');
    writeFileSync(edited, lines.join('\n'));
    const result = vigil(['actions', 'verify', edited]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('entry 1 (line 2) was altered');
  });
});
