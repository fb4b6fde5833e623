// The lab as a user checks it: kubectl sees the pods, RBAC answers per user, `vigil lab exec` lands in the right
// cgroup and namespaces, DNS answers cluster and external names, nothing leaves the lab, and `lab down` cleans up.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_HOSTS, LAB_PODS, podKey } from '../../lab/topology.js';
import type { LabState } from '../../lab/lab-state.js';
import { labServices } from '../../lab/cluster/objects.js';
import { spawnInPod, spawnOnExternalHost } from '../../lab/pod-exec.js';
import { ensureLab, forgetLab, labSkipReason, VIGIL } from '../lab-fixture.js';

const skip = labSkipReason();
const kubectlBinary = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p)) ?? 'kubectl';

/** A zombie (exited, not yet reaped by pid 1) does not count as running. */
function isRunning(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function sh(cmd: string, args: string[], input?: string) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 120_000 });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

describe.skipIf(skip !== null)(`the lab${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: LabState;
  const kubectl = (context: string, ...args: string[]) => sh(kubectlBinary, ['--kubeconfig', lab.kubeconfig, '--context', context, ...args]);
  const execInPod = (pod: string, ...argv: string[]) => sh(VIGIL, ['lab', 'exec', pod, '--', ...argv]);

  beforeAll(async () => {
    lab = await ensureLab();
  });

  it('kubectl get pods -A lists every lab pod, Running, with its IP', () => {
    const r = kubectl(lab.contexts.admin, 'get', 'pods', '-A', '-o', 'json');
    expect(r.err).toBe('');
    const items = (JSON.parse(r.out) as { items: { metadata: { namespace: string; name: string }; status: { phase: string; podIP: string } }[] }).items;
    for (const spec of LAB_PODS) {
      const pod = items.find((i) => i.metadata.namespace === spec.namespace && i.metadata.name === spec.name);
      expect(pod, podKey(spec)).toBeDefined();
      expect(pod?.status.phase).toBe('Running');
      expect(pod?.status.podIP).toBe(spec.ip);
    }
  });

  it('answers can-i create networkpolicies: yes for the responder, no for the auditor', () => {
    expect(kubectl(lab.contexts.responder, 'auth', 'can-i', 'create', 'networkpolicies', '-n', 'agents').out.trim()).toBe('yes');
    expect(kubectl(lab.contexts.auditor, 'auth', 'can-i', 'create', 'networkpolicies', '-n', 'agents').out.trim()).toBe('no');
    expect(kubectl(lab.contexts.auditor, 'auth', 'can-i', 'list', 'pods', '-A').out.trim()).toBe('yes');
    // Read-only means no secrets' data and no way into a pod (exec and port-forward upgrade on a plain get).
    for (const what of [['get', 'secrets'], ['get', 'pods', '--subresource=portforward'], ['get', 'pods', '--subresource=exec']]) {
      expect(kubectl(lab.contexts.auditor, 'auth', 'can-i', ...what, '-n', 'payments').out.trim(), what.join(' ')).toBe('no');
    }
    expect(kubectl(lab.contexts.responder, 'auth', 'can-i', 'patch', 'nodes').out.trim()).toBe('yes');
  });

  it('records who did what in the audit log (Metadata level: no request bodies)', async () => {
    kubectl(lab.contexts.auditor, 'get', 'secrets', '-n', 'payments');
    const deadline = Date.now() + 20_000;
    let entry: { user: { username: string }; verb: string; objectRef?: { resource: string; namespace?: string }; level: string; requestObject?: unknown } | undefined;
    while (!entry && Date.now() < deadline) {
      entry = readFileSync(lab.auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as typeof entry)
        .find((e) => e?.user.username === lab.contexts.auditor && e.verb === 'list' && e.objectRef?.resource === 'secrets' && e.objectRef.namespace === 'payments');
      if (!entry) await new Promise((r) => setTimeout(r, 500));
    }
    expect(entry?.level).toBe('Metadata');
    expect(entry?.requestObject).toBeUndefined();
  });

  it('gives every pod a containerd container id whose kubelet-named cgroup exists', () => {
    const r = kubectl(lab.contexts.admin, 'get', 'pods', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.uid} {.status.containerStatuses[0].containerID}{"\\n"}{end}');
    const byUid = new Map(r.out.trim().split('\n').map((l) => l.split(' ') as [string, string]));
    for (const pod of lab.pods) {
      expect(byUid.get(pod.uid)).toBe(`containerd://${pod.containerId}`);
      expect(statSync(pod.cgroupDir).isDirectory()).toBe(true);
      expect(pod.cgroup).toContain(pod.containerId);
      expect(pod.cgroup).toContain(pod.cgroupDriver === 'systemd' ? pod.uid.replaceAll('-', '_') : pod.uid);
    }
  });

  it('runs `vigil lab exec` in the pod cgroup and network namespace and returns the exit code', () => {
    const pod = lab.pods.find((p) => p.name.startsWith('research-agent'));
    if (!pod) throw new Error('no research-agent pod');
    const r = execInPod('agents/research-agent', 'sh', '-c', 'grep "^0::" /proc/self/cgroup; readlink /proc/self/ns/net; hostname; exit 7');
    expect(r.code).toBe(7);
    const [cgroupLine, netns, hostname] = r.out.trim().split('\n');
    expect(cgroupLine).toBe(`0::/${pod.cgroup}`);
    expect(netns).toBe(`net:[${statSync(`/run/netns/${pod.netns}`).ino}]`);
    expect(hostname).toBe(pod.name);
  });

  it('mounts a real TokenRequest token that the over-privileged service account can use to list secrets', () => {
    const request = (pod: string) => execInPod(pod, 'sh', '-c',
      'd=/var/run/secrets/kubernetes.io/serviceaccount; curl -s -o /dev/null -w "%{http_code}" --cacert $d/ca.crt '
      + '-H "Authorization: Bearer $(cat $d/token)" https://kubernetes.default.svc/api/v1/secrets');
    expect(request('agents/research-agent').out).toBe('200');
    expect(request('agents/support-agent').out).toBe('403');
    expect(execInPod('agents/support-agent', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace').out).toBe('agents');
  });

  it('resolves services and external names from inside a pod', () => {
    const svc = labServices().find((s) => s.name === 'payments-api');
    const r = execInPod('agents/support-agent', 'getent', 'hosts', 'payments-api.payments', 'collect.exfil.example', 'kubernetes.default');
    expect(r.out).toContain(`${svc?.clusterIp}`);
    const exfil = EXTERNAL_HOSTS.find((h) => h.name === 'collect.exfil.example');
    expect(r.out).toMatch(new RegExp(`^${exfil?.ip.replaceAll('.', '\\.')}\\s+collect\\.exfil\\.example$`, 'm'));
    expect(r.out).toContain('10.96.0.1 ');
    expect(execInPod('agents/support-agent', 'getent', 'hosts', 'www.google.com').code).not.toBe(0);
  });

  it('lets pods reach an external host by name and another pod through its Service ClusterIP', async () => {
    const weather = EXTERNAL_HOSTS.find((h) => h.name === 'api.weather.example')?.ip ?? '';
    const external = spawnOnExternalHost(['python3', '-m', 'http.server', '18080', '--bind', weather], { lab, stdio: 'ignore' });
    // model-server's Service maps port 80 to 8000 in the pod.
    const model = spawnInPod('data-science/model-server', ['python3', '-m', 'http.server', '8000', '--bind', '10.244.0.42'], { lab, stdio: 'ignore' });
    try {
      // Any HTTP answer proves the path (the lab's own model-server workload may already be serving that port).
      const curlUntilUp = (pod: string, url: string) => execInPod(pod, 'sh', '-c',
        `for i in $(seq 1 60); do code=$(curl -s -o /dev/null -m 2 -w "%{http_code}" ${url}); [ "$code" != 000 ] && echo answered && exit 0; sleep 0.5; done; exit 1`);
      expect(curlUntilUp('agents/support-agent', 'http://api.weather.example:18080/').out.trim()).toBe('answered');
      expect(curlUntilUp('agents/support-agent', 'http://model-server.data-science/').out.trim()).toBe('answered');
      const cgroupOfExternal = readFileSync(`/proc/${external.pid}/cgroup`, 'utf8');
      expect(cgroupOfExternal).toContain('0::/vigil-lab/external');
    } finally {
      external.kill('SIGKILL');
      model.kill('SIGKILL');
    }
  });

  it('cannot reach anything outside the lab: no route', () => {
    const r = execInPod('agents/research-agent', 'bash', '-c', 'exec 3<>/dev/tcp/192.0.2.1/80');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('Network is unreachable');
    expect(execInPod('agents/research-agent', 'ip', 'route', 'show', 'default').out.trim()).toBe('');
  });

  it('drops lab packets headed for a real interface even when a pod adds its own default route', () => {
    const dropped = (): number => {
      const chain = JSON.parse(sh('nft', ['-j', 'list', 'chain', 'ip', 'vigil_lab', 'confine_forward']).out) as { nftables: { rule?: { expr: { counter?: { packets: number } }[] } }[] };
      return chain.nftables.flatMap((e) => e.rule?.expr ?? []).reduce((sum, x) => sum + (x.counter?.packets ?? 0), 0);
    };
    const before = dropped();
    // The notebook pod is root in its namespace, as a compromised container would be: it can add a route.
    const r = execInPod('data-science/notebook', 'sh', '-c',
      'ip route add default via 10.244.0.1 && timeout 2 bash -c "exec 3<>/dev/tcp/192.0.2.1/80"; code=$?; ip route del default; exit $code');
    expect(r.code).toBe(124); // the SYN left the pod but never got an answer: the host dropped it
    expect(dropped()).toBeGreaterThan(before);
    expect(execInPod('data-science/notebook', 'ip', 'route', 'show', 'default').out.trim()).toBe('');
  });

  it('refuses to run without root, at once, saying so and changing nothing', () => {
    const bundle = path.join(path.dirname(VIGIL), '../dist/cli/vigil.mjs');
    const r = sh('runuser', ['-u', 'nobody', '--', process.execPath, bundle, 'lab', 'up']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('the lab needs root');
    expect(r.err).toContain('Nothing was changed');
  });

  it('is idempotent: a second `lab up` keeps pod uids, container ids and the apiserver', () => {
    const r = sh(VIGIL, ['lab', 'up', '--json', '--no-workloads']);
    expect(r.code).toBe(0);
    const again = JSON.parse(r.out) as { pods: { uid: string; containerId: string }[] };
    expect(again.pods.map((p) => p.uid)).toEqual(lab.pods.map((p) => p.uid));
    expect(again.pods.map((p) => p.containerId)).toEqual(lab.pods.map((p) => p.containerId));
    expect(sh(VIGIL, ['lab', 'status', '--json']).code).toBe(0);
  });

  it('`lab down` leaves no process, namespace, mount, cgroup, bridge or rule behind', () => {
    // A process someone started in a pod's namespace by hand, outside any pod cgroup, must go too.
    const stray = spawn('ip', ['netns', 'exec', lab.pods[0]?.netns ?? '', 'sleep', '600'], { detached: true, stdio: 'ignore' });
    stray.unref();
    const pids = [lab.etcd.pid, lab.apiserver.pid, lab.dns.pid, ...(lab.collector ? [lab.collector.pid] : []), stray.pid ?? 0];
    const r = sh(VIGIL, ['lab', 'down']);
    forgetLab();
    expect(r.code, r.err).toBe(0);
    for (const pid of pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
    expect(readdirSync('/run/netns').filter((n) => n.startsWith('vigil-'))).toEqual([]);
    expect(sh('ip', ['link', 'show', 'vigil0']).code).not.toBe(0);
    expect(sh('nft', ['list', 'table', 'ip', 'vigil_lab']).code).not.toBe(0);
    for (const pod of lab.pods) expect(existsSync(pod.cgroupDir), pod.cgroup).toBe(false);
    expect(existsSync(path.join(lab.cgroupRoot, 'vigil-lab'))).toBe(false);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(lab.stateDir);
    expect(existsSync(lab.stateDir)).toBe(false);
    expect(sh(VIGIL, ['lab', 'status']).code).toBe(1);
  });
});
