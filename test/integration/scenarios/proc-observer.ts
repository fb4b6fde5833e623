// Watches /proc while a scenario runs: every process that appears, with its cgroup, network namespace and command
// line, and every TCP/UDP peer address seen in the lab pods' network namespaces. Polling cannot see a process that
// lives less than one interval, so tests assert on processes that live long enough (the scenarios' tools do).
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import type { LabPodState, LabState } from '../../lab/lab-state.js';
import { EXTERNAL_CIDR, POD_CIDR, SERVICE_CIDR } from '../../lab/topology.js';

export interface SeenProcess {
  pid: number;
  cmdline: string;
  cgroup: string;
  netnsInode: number;
  /** The lab pod whose cgroup the process is in ("namespace/name"), if any. */
  pod: string | null;
}

export interface ObservedRun {
  processes: SeenProcess[];
  /** Remote IPv4 addresses of sockets seen in each pod's network namespace. */
  peers: Map<string, Set<string>>;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function netnsInode(pid: number | 'self'): number {
  const link = readlinkSync(`/proc/${pid}/ns/net`); // "net:[4026532281]"
  return Number(link.slice(5, -1));
}

/** The inode of a pod's network namespace, from its /run/netns file. */
export function podNetnsInode(pod: LabPodState): number {
  return statSync(`/run/netns/${pod.netns}`).ino;
}

function hexToIpv4(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255].join('.');
}

/** Remote addresses of every IPv4 TCP and UDP socket in the network namespace of `pid`. */
function socketPeers(pid: number): string[] {
  const peers: string[] = [];
  for (const table of ['tcp', 'udp']) {
    const text = read(`/proc/${pid}/net/${table}`);
    if (!text) continue;
    for (const line of text.split('\n').slice(1)) {
      const remote = line.trim().split(/\s+/)[2];
      if (remote) peers.push(hexToIpv4(remote.split(':')[0]!));
    }
  }
  return peers;
}

const YOUNG_SAMPLES = 20;

export class ProcObserver {
  private readonly seen = new Map<string, SeenProcess>();
  /** pid → key of the process last seen with that pid, so known pids cost one readdir entry, not four reads. */
  private readonly keyOfPid = new Map<number, string>();
  private readonly youngSamplesLeft = new Map<string, number>();
  private readonly peers = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly lab: LabState, private readonly intervalMs = 5) {}

  private podOf(cgroup: string): string | null {
    const pod = this.lab.pods.find((p) => cgroup.includes(p.cgroup));
    return pod ? `${pod.namespace}/${pod.name}` : null;
  }

  /** Reads what a process is now; null when it is gone. */
  private describe(pid: number): SeenProcess | null {
    const cgroup = read(`/proc/${pid}/cgroup`)?.trim();
    const cmdline = read(`/proc/${pid}/cmdline`);
    if (cgroup === undefined || cmdline === null) return null;
    try {
      return { pid, cmdline: cmdline.split('\0').join(' ').trim(), cgroup, netnsInode: netnsInode(pid), pod: this.podOf(cgroup) };
    } catch {
      return null; // exited between the reads
    }
  }

  private sample(): void {
    const samplePidPerPod = new Map<string, number>();
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      let key = this.keyOfPid.get(pid);
      if (!key) {
        const stat = read(`/proc/${pid}/stat`);
        if (!stat) continue;
        key = `${pid}:${stat.split(' ')[21]}`; // pid + start time
        this.keyOfPid.set(pid, key);
        this.youngSamplesLeft.set(key, YOUNG_SAMPLES);
      }
      // A new process may still be between fork and exec (or entering its pod): re-read it for a while.
      const left = this.youngSamplesLeft.get(key) ?? 0;
      if (left > 0) {
        this.youngSamplesLeft.set(key, left - 1);
        const now = this.describe(pid);
        if (now && now.cmdline) this.seen.set(key, now);
      }
      const pod = this.seen.get(key)?.pod;
      if (pod) samplePidPerPod.set(pod, pid);
    }
    for (const [pod, pid] of samplePidPerPod) {
      const set = this.peers.get(pod) ?? new Set<string>();
      for (const peer of socketPeers(pid)) set.add(peer);
      this.peers.set(pod, set);
    }
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): ObservedRun {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return { processes: [...this.seen.values()], peers: this.peers };
  }
}

/** The first three octets of a /24, e.g. "10.244.0." for 10.244.0.0/24. */
function prefix24(cidr: string): string {
  if (!cidr.endsWith('/24')) throw new Error(`expected a /24 lab range, got ${cidr}`);
  return cidr.slice(0, cidr.lastIndexOf('.') + 1);
}

/** True for addresses that belong to the lab: pods, services, the external namespace, loopback, unbound. */
export function isLabAddress(ip: string): boolean {
  return ip === '0.0.0.0' || ip.startsWith('127.') || [POD_CIDR, SERVICE_CIDR, EXTERNAL_CIDR].some((cidr) => ip.startsWith(prefix24(cidr)));
}
