// What the lab needs from the machine, checked before anything is changed so a missing piece fails at once.
import { findCgroupV2Root } from './host/cgroups.js';
import { haveCommand } from './host/run.js';

const REQUIRED_TOOLS: [string, string][] = [
  ['ip', 'iproute2'], ['nft', 'nftables'], ['dnsmasq', 'dnsmasq-base'], ['unshare', 'util-linux'],
  ['nsenter', 'util-linux'], ['mount', 'mount'], ['openssl', 'openssl'],
];

export class LabPreflightError extends Error {
  override name = 'LabPreflightError';
}

/** Returns the cgroup v2 root, or throws saying exactly what is missing. Nothing is changed. */
export function labPreflight(): { cgroupRoot: string } {
  const problems: string[] = [];
  if (process.platform !== 'linux') problems.push(`the lab runs on Linux only (this is ${process.platform})`);
  if (process.getuid?.() !== 0) problems.push('the lab needs root (network namespaces, cgroups, nftables); run it with sudo or as root');
  const cgroupRoot = findCgroupV2Root();
  if (!cgroupRoot) problems.push('no cgroup v2 hierarchy at /sys/fs/cgroup/unified or /sys/fs/cgroup (a kernel with cgroup v2 is required)');
  const missing = REQUIRED_TOOLS.filter(([cmd]) => !haveCommand(cmd));
  if (missing.length > 0) {
    problems.push(`missing tools: ${missing.map(([c, p]) => `${c} (Debian package ${p})`).join(', ')}; run scripts/install/lab.sh`);
  }
  if (problems.length > 0 || !cgroupRoot) {
    throw new LabPreflightError(`cannot run the lab: ${problems.join('; ')}. Nothing was changed.`);
  }
  return { cgroupRoot };
}
