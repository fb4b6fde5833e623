// cgroup v2 directories for the lab: pods named exactly as the kubelet names them, and the lab's own groups
// (control plane, external host) so that `lab down` can kill everything with cgroup.kill and leave nothing behind.
import { appendFileSync, existsSync, readFileSync, readdirSync, rmdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CgroupDriver, QosClass } from '../topology.js';

/** The cgroup v2 mount: /sys/fs/cgroup/unified on hybrid hosts, /sys/fs/cgroup on unified ones; null if none. */
export function findCgroupV2Root(): string | null {
  for (const candidate of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup']) {
    if (!existsSync(path.join(candidate, 'cgroup.procs'))) continue;
    // A v1 hierarchy has cgroup.procs too; only v2 has cgroup.controllers.
    if (existsSync(path.join(candidate, 'cgroup.controllers'))) return candidate;
  }
  return null;
}

/**
 * The container cgroup path (relative to the v2 root) the kubelet + containerd would create.
 *   systemd:  kubepods.slice/kubepods-<qos>.slice/kubepods-<qos>-pod<uid_>.slice/cri-containerd-<cid>.scope
 *   cgroupfs: kubepods/<qos>/pod<uid>/<cid>
 * Guaranteed pods sit directly under kubepods (no qos level), and systemd slice names escape '-' in the uid as '_'.
 */
export function kubeletContainerCgroup(driver: CgroupDriver, qos: QosClass, podUid: string, containerId: string): string {
  if (driver === 'systemd') {
    const uid = podUid.replaceAll('-', '_');
    const qosSlices = qos === 'guaranteed' ? [] : [`kubepods-${qos}.slice`];
    const podSlice = qos === 'guaranteed' ? `kubepods-pod${uid}.slice` : `kubepods-${qos}-pod${uid}.slice`;
    return ['kubepods.slice', ...qosSlices, podSlice, `cri-containerd-${containerId}.scope`].join('/');
  }
  const qosDirs = qos === 'guaranteed' ? [] : [qos];
  return ['kubepods', ...qosDirs, `pod${podUid}`, containerId].join('/');
}

/** The lab's own cgroups live under <root>/vigil-lab/. */
export function labCgroupDir(root: string, name: 'control-plane' | 'external' | 'collector'): string {
  return path.join(root, 'vigil-lab', name);
}

export function ensureCgroup(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

const RECORD_FILE = 'pod-cgroups.txt';

/**
 * Creates a pod container's cgroup and records it in <stateDir>/pod-cgroups.txt first, so `lab down` removes it even
 * if `lab up` died before writing state.json. (Other tools on the machine may create kubepods cgroups of their own;
 * the lab only ever removes the ones it recorded.)
 */
export function ensurePodCgroup(stateDir: string, root: string, relative: string): string {
  const known = recordedPodCgroups(stateDir);
  if (!known.includes(relative)) appendFileSync(path.join(stateDir, RECORD_FILE), `${relative}\n`);
  const dir = path.join(root, relative);
  ensureCgroup(dir);
  return dir;
}

export function recordedPodCgroups(stateDir: string): string[] {
  try {
    return readFileSync(path.join(stateDir, RECORD_FILE), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

export function cgroupPids(dir: string): number[] {
  try {
    return readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Kills every process in `dir` and its descendants (cgroup.kill) and waits until the group is empty. */
export async function killCgroup(dir: string, timeoutMs = 5000): Promise<void> {
  if (!existsSync(dir)) return;
  writeFileSync(path.join(dir, 'cgroup.kill'), '1');
  const deadline = Date.now() + timeoutMs;
  while (isPopulated(dir)) {
    if (Date.now() > deadline) throw new Error(`processes in cgroup ${dir} did not exit within ${timeoutMs} ms after cgroup.kill`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function isPopulated(dir: string): boolean {
  try {
    return /populated 1/.test(readFileSync(path.join(dir, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

/** Removes `dir` and its sub-cgroups (deepest first); they must be empty of processes. */
export function removeCgroupTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    const child = path.join(dir, entry);
    if (statSync(child).isDirectory()) removeCgroupTree(child);
  }
  rmdirSync(dir);
}

/** Removes `leaf` and then each now-empty parent up to (not including) `root`. */
export function removeCgroupAndEmptyParents(root: string, relative: string): void {
  let dir = path.join(root, relative);
  removeCgroupTree(dir);
  for (;;) {
    dir = path.dirname(dir);
    if (dir === root || !dir.startsWith(root + '/')) return;
    const hasChildGroups = readdirSync(dir).some((e) => statSync(path.join(dir, e)).isDirectory());
    if (hasChildGroups) return;
    rmdirSync(dir);
  }
}
