// `vigil lab down`: stops the workloads, kills everything in the pods' and the lab's cgroups, stops the daemons,
// and removes every namespace, mount, cgroup, bridge, nftables table and file the lab created. Safe to run when
// the lab is only half up (or already down): each step removes what it finds.
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { labStateDir, readLabState } from './lab-state.js';
import { labPreflight } from './preflight.js';
import { findCgroupV2Root, killCgroup, recordedPodCgroups, removeCgroupAndEmptyParents, removeCgroupTree } from './host/cgroups.js';
import { killProcessesInLabNetns, removeBridge, removeLabNetns } from './host/network.js';
import { removeLabFirewall } from './host/firewall.js';
import { removePodMountNamespaces } from './host/pod-mounts.js';
import { stopDaemon } from './host/daemons.js';
import { DNSMASQ } from './host/dns.js';
import { stopCollector } from './collector-hook.js';
import { stopWorkloads } from './workloads-hook.js';
import { stopControlPlane } from './controlplane/control-plane.js';

export async function labDown(opts: { log: (m: string) => void }): Promise<void> {
  labPreflight();
  const log = opts.log;
  const stateDir = labStateDir();
  const state = readLabState(stateDir);
  const cgroupRoot = state?.cgroupRoot ?? findCgroupV2Root() ?? '/sys/fs/cgroup/unified';

  if (state) {
    try {
      if (await stopWorkloads(state)) log('stopped the lab workloads');
    } catch (error) {
      log(`warning: stopLabWorkloads failed (${(error as Error).message}); killing the pods' processes anyway`);
    }
  }
  // Every pod process, wherever it was started from, is in a pod cgroup: kill by cgroup, then remove the cgroups.
  const podCgroups = [...new Set([...(state?.pods.map((p) => p.cgroup) ?? []), ...recordedPodCgroups(stateDir)])];
  for (const rel of podCgroups) await killCgroup(path.join(cgroupRoot, rel));
  for (const rel of podCgroups) removeCgroupAndEmptyParents(cgroupRoot, rel);
  await killCgroup(path.join(cgroupRoot, 'vigil-lab', 'external'));

  log('stopping the collector, dnsmasq, kube-apiserver and etcd');
  // In parallel: each waits for its own graceful exit. Pid files are matched by executable name, so no binary
  // lookup (and never a build) is needed here; etcd goes last, after the apiserver that writes to it.
  await Promise.all([
    stopCollector(stateDir),
    stopDaemon(stateDir, 'dnsmasq', DNSMASQ),
    stopControlPlane(stateDir, { etcd: 'etcd', kubeApiserver: 'kube-apiserver' }),
  ]);
  // Anything else still in the lab's own cgroups (a daemon whose pid file was lost) goes the same way.
  const labGroup = path.join(cgroupRoot, 'vigil-lab');
  if (existsSync(labGroup)) {
    await killCgroup(labGroup);
    removeCgroupTree(labGroup);
  }

  log('removing namespaces, mounts, bridge and nftables rules');
  removePodMountNamespaces(stateDir);
  const strays = killProcessesInLabNetns();
  if (strays.length > 0) log(`killed ${strays.length} process(es) left in lab network namespaces outside any pod cgroup: ${strays.join(', ')}`);
  removeLabNetns();
  if (existsSync('/etc/netns') && readdirSync('/etc/netns').length === 0) rmdirSync('/etc/netns');
  removeBridge();
  removeLabFirewall();
  rmSync(stateDir, { recursive: true, force: true });
}
