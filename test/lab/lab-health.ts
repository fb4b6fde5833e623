// Is the lab described by state.json actually running? Used by `vigil lab status` and the test fixture.
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { podKey } from './topology.js';
import type { LabState } from './lab-state.js';
import { run } from './host/run.js';
import { LAB_BRIDGE } from './host/network.js';
import { NFT_TABLE } from './host/firewall.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function adminToken(state: LabState): string {
  const line = readFileSync(path.join(state.stateDir, 'pki', 'tokens.csv'), 'utf8').split('\n').find((l) => l.includes(`,${state.contexts.admin},`));
  return line?.split(',')[0] ?? '';
}

function apiserverReady(state: LabState): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(`${state.apiserver.url}/readyz`, {
      ca: readFileSync(state.caFile), headers: { authorization: `Bearer ${adminToken(state)}` }, timeout: 3000,
    }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

export async function labHealth(state: LabState): Promise<{ problems: string[] }> {
  const problems: string[] = [];
  if (!alive(state.etcd.pid)) problems.push(`etcd (pid ${state.etcd.pid}) is not running`);
  if (!alive(state.apiserver.pid)) problems.push(`kube-apiserver (pid ${state.apiserver.pid}) is not running`);
  else if (!(await apiserverReady(state))) problems.push(`kube-apiserver at ${state.apiserver.url} is not ready`);
  if (!alive(state.dns.pid)) problems.push(`dnsmasq (pid ${state.dns.pid}) is not running`);
  if (state.collector && !alive(state.collector.pid)) problems.push(`the collector (pid ${state.collector.pid}) is not running`);
  if (run('ip', ['link', 'show', LAB_BRIDGE], { allowFailure: true }).status !== 0) problems.push(`bridge ${LAB_BRIDGE} is missing`);
  if (run('nft', ['list', 'table', 'ip', NFT_TABLE], { allowFailure: true }).status !== 0) problems.push(`nftables table ${NFT_TABLE} is missing`);
  for (const pod of state.pods) {
    if (!existsSync(pod.cgroupDir)) problems.push(`${podKey(pod)}: cgroup ${pod.cgroup} is missing`);
    if (!existsSync(`/run/netns/${pod.netns}`)) problems.push(`${podKey(pod)}: network namespace ${pod.netns} is missing`);
  }
  if (!existsSync(`/run/netns/${state.externalHost.netns}`)) problems.push(`external namespace ${state.externalHost.netns} is missing`);
  return { problems };
}
