// The lab's network: one bridge (vigil0) whose host side is the pods' gateway and the "external" range's gateway,
// a network namespace per pod (veth on the bridge, the pod IP, no default route) and one "external" namespace
// holding every EXTERNAL_HOSTS address. Forwarding is enabled on vigil0 only; the global ip_forward is not touched.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXTERNAL_CIDR, EXTERNAL_GATEWAY, EXTERNAL_HOSTS, POD_CIDR, POD_GATEWAY, SERVICE_CIDR, type LabPodSpec } from '../topology.js';
import { run } from './run.js';

export const LAB_BRIDGE = 'vigil0';
export const EXTERNAL_NETNS = 'vigil-external';
const prefixLength = (cidr: string): string => cidr.split('/')[1] ?? '24';

/** Network namespace name of a pod: `vigil-<namespace>-<name>` (a file under /run/netns). */
export function podNetnsName(pod: Pick<LabPodSpec, 'namespace' | 'name'>): string {
  return `vigil-${pod.namespace}-${pod.name}`;
}

/** Host side of a pod's veth; interface names are limited to 15 characters, so it is a short hash of the pod. */
export function hostVethName(netns: string): string {
  return `vgl${createHash('sha256').update(netns).digest('hex').slice(0, 8)}`;
}

function linkExists(name: string, netns?: string): boolean {
  const args = netns ? ['-n', netns, 'link', 'show', name] : ['link', 'show', name];
  return run('ip', args, { allowFailure: true }).status === 0;
}

/**
 * Makes the IPv4 addresses of `dev` exactly `wanted` (CIDR notation): adds the missing ones and removes the ones a
 * previous topology left — a stale address on the bridge would keep routing a range into the lab.
 */
function reconcileAddresses(nsArgs: string[], dev: string, wanted: string[]): void {
  const present = (JSON.parse(run('ip', [...nsArgs, '-4', '-j', 'addr', 'show', 'dev', dev]).stdout || '[]') as { addr_info?: { local: string; prefixlen: number }[] }[])
    .flatMap((link) => link.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`);
  for (const address of present) {
    // Deleting a primary address also deletes its secondaries, so a later delete may find nothing: not an error.
    if (!wanted.includes(address)) run('ip', [...nsArgs, 'addr', 'del', address, 'dev', dev], { allowFailure: true });
  }
  for (const address of wanted) {
    if (!present.includes(address)) run('ip', [...nsArgs, 'addr', 'add', address, 'dev', dev]);
  }
}

function netnsExists(name: string): boolean {
  return existsSync(path.join('/run/netns', name));
}

function writeSysctl(key: string, value: string, netns?: string): void {
  if (netns) run('ip', ['netns', 'exec', netns, 'sysctl', '-q', '-w', `${key}=${value}`]);
  else writeFileSync(path.join('/proc/sys', key.replaceAll('.', '/')), value);
}

export function ensureBridge(): void {
  if (!linkExists(LAB_BRIDGE)) run('ip', ['link', 'add', LAB_BRIDGE, 'type', 'bridge']);
  reconcileAddresses([], LAB_BRIDGE, [`${POD_GATEWAY}/${prefixLength(POD_CIDR)}`, `${EXTERNAL_GATEWAY}/${prefixLength(EXTERNAL_CIDR)}`]);
  run('ip', ['link', 'set', LAB_BRIDGE, 'up']);
  // Service IPs from the host itself go to the bridge (and are DNAT-ed there), never to the default route.
  run('ip', ['route', 'replace', SERVICE_CIDR, 'dev', LAB_BRIDGE, 'src', POD_GATEWAY]);
  // Routing between the pod range and the external range happens on this interface only.
  writeSysctl(`net.ipv4.conf.${LAB_BRIDGE}.forwarding`, '1');
  // The kubernetes Service is DNAT-ed to the apiserver on 127.0.0.1, which needs route_localnet on the input side.
  writeSysctl(`net.ipv4.conf.${LAB_BRIDGE}.route_localnet`, '1');
}

export function removeBridge(): void {
  if (linkExists(LAB_BRIDGE)) run('ip', ['link', 'del', LAB_BRIDGE]);
}

/** Creates (or repairs) a namespace with one veth on the bridge, the given addresses and routes via `gateway`. */
function ensureAttachedNetns(netns: string, addresses: string[], gateway: string, routedCidrs: string[]): void {
  if (!netnsExists(netns)) run('ip', ['netns', 'add', netns]);
  const hostSide = hostVethName(netns);
  if (!linkExists('eth0', netns)) {
    if (linkExists(hostSide)) run('ip', ['link', 'del', hostSide]);
    run('ip', ['link', 'add', hostSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
  }
  run('ip', ['link', 'set', hostSide, 'master', LAB_BRIDGE, 'up']);
  // Hairpin: a pod calling its own Service is DNAT-ed back to itself, out of the port the packet came in on.
  run('ip', ['link', 'set', hostSide, 'type', 'bridge_slave', 'hairpin', 'on']);
  reconcileAddresses(['-n', netns], 'eth0', addresses);
  run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
  run('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
  for (const cidr of routedCidrs) run('ip', ['-n', netns, 'route', 'replace', cidr, 'via', gateway, 'dev', 'eth0']);
  // Routes a previous topology added (e.g. an old external range) go, so the namespace routes exactly what is listed.
  const routes = JSON.parse(run('ip', ['-n', netns, '-4', '-j', 'route', 'show', 'dev', 'eth0']).stdout || '[]') as { dst: string; gateway?: string }[];
  for (const route of routes) {
    if (route.gateway && !routedCidrs.includes(route.dst)) run('ip', ['-n', netns, 'route', 'del', route.dst, 'via', route.gateway, 'dev', 'eth0']);
  }
  // The host routes between two ranges on one bridge; redirects would make namespaces bypass it.
  writeSysctl('net.ipv4.conf.all.accept_redirects', '0', netns);
  writeSysctl('net.ipv4.conf.eth0.accept_redirects', '0', netns);
}

export function ensurePodNetwork(pod: LabPodSpec): string {
  const netns = podNetnsName(pod);
  ensureAttachedNetns(netns, [`${pod.ip}/${prefixLength(POD_CIDR)}`], POD_GATEWAY, [SERVICE_CIDR, EXTERNAL_CIDR]);
  return netns;
}

export function ensureExternalNetwork(): string {
  const prefix = prefixLength(EXTERNAL_CIDR);
  ensureAttachedNetns(EXTERNAL_NETNS, EXTERNAL_HOSTS.map((h) => `${h.ip}/${prefix}`), EXTERNAL_GATEWAY, [POD_CIDR, SERVICE_CIDR]);
  return EXTERNAL_NETNS;
}

/**
 * Kills processes still inside a lab network namespace although they are in no lab cgroup (e.g. started with
 * `ip netns exec` by hand): they would otherwise keep the namespace alive after it is deleted. Returns their pids.
 */
export function killProcessesInLabNetns(): number[] {
  let names: string[];
  try {
    names = readdirSync('/run/netns').filter((n) => n.startsWith('vigil-'));
  } catch {
    return [];
  }
  const inodes = new Set(names.map((n) => `net:[${statSync(path.join('/run/netns', n)).ino}]`));
  const killed: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (inodes.has(readlinkSync(`/proc/${entry}/ns/net`))) {
        process.kill(Number(entry), 'SIGKILL');
        killed.push(Number(entry));
      }
    } catch {
      // exited meanwhile, or a kernel thread without a readable ns link
    }
  }
  return killed;
}

/** Deletes every vigil-* network namespace (their veths go with them) and the /etc/netns files the lab wrote. */
export function removeLabNetns(): string[] {
  const listed = run('ip', ['netns', 'list']).stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith('vigil-'));
  for (const netns of listed) {
    run('ip', ['netns', 'del', netns]);
    rmSync(path.join('/etc/netns', netns), { recursive: true, force: true });
  }
  return listed;
}

/** `/etc/netns/<netns>/resolv.conf`, which `ip netns exec` bind-mounts over /etc/resolv.conf. */
export function writeNetnsResolvConf(netns: string, content: string): string {
  const dir = path.join('/etc/netns', netns);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'resolv.conf');
  writeFileSync(file, content);
  return file;
}
