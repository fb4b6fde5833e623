// A persistent mount namespace (and UTS namespace) per pod, kept alive by bind-mounting their nsfs files under
// <stateDir>/ns, as `ip netns` does for network namespaces. Inside: the pod's service-account directory at
// /var/run/secrets/kubernetes.io/serviceaccount, its resolv.conf at /etc/resolv.conf, its hostname.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from './run.js';

/** Where Kubernetes mounts a pod's service-account token (/var/run is /run on the lab's hosts). */
export const SERVICE_ACCOUNT_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

export function namespaceFilesDir(stateDir: string): string {
  return path.join(stateDir, 'ns');
}

function isMountPoint(dir: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((line) => line.split(' ')[4] === dir);
}

/** The directory holding nsfs bind mounts must be a private mount, or the bind mounts would propagate and loop. */
function ensurePrivateNsDir(stateDir: string): string {
  const dir = namespaceFilesDir(stateDir);
  mkdirSync(dir, { recursive: true });
  if (!isMountPoint(dir)) {
    run('mount', ['--bind', dir, dir]);
    run('mount', ['--make-private', dir]);
  }
  return dir;
}

export interface PodNamespaceFiles { mount: string; uts: string }

/**
 * Creates the pod's mount + UTS namespaces once; a later call finds them alive and returns their files.
 * `serviceAccountDir` and `resolvConf` are host paths, bound read-only into the namespace.
 */
export function ensurePodMountNamespace(stateDir: string, id: string, hostname: string, serviceAccountDir: string, resolvConf: string): PodNamespaceFiles {
  const dir = ensurePrivateNsDir(stateDir);
  const files = { mount: path.join(dir, `${id}.mnt`), uts: path.join(dir, `${id}.uts`) };
  if (isMountPoint(files.mount) && isMountPoint(files.uts)) return files;
  for (const f of [files.mount, files.uts]) {
    if (isMountPoint(f)) run('umount', [f]);
    writeFileSync(f, '');
  }
  // The mount point must exist on the host filesystem; it stays empty there (only the pod's namespace mounts on it).
  mkdirSync(SERVICE_ACCOUNT_MOUNT, { recursive: true });
  const script = [
    'set -e',
    `hostname "$0"`,
    `mount --bind -o ro "$1" ${SERVICE_ACCOUNT_MOUNT}`,
    'mount --bind -o ro "$2" /etc/resolv.conf',
  ].join('\n');
  run('unshare', [`--mount=${files.mount}`, `--uts=${files.uts}`, '--propagation', 'private', '--', '/bin/sh', '-c', script,
    hostname, serviceAccountDir, resolvConf]);
  return files;
}

/** Unmounts every namespace file and the private directory, and removes the service-account mount point dirs. */
export function removePodMountNamespaces(stateDir: string): void {
  const dir = namespaceFilesDir(stateDir);
  if (existsSync(dir)) {
    for (const f of readdirSync(dir)) {
      const file = path.join(dir, f);
      if (isMountPoint(file)) run('umount', [file]);
      rmSync(file, { force: true });
    }
    if (isMountPoint(dir)) run('umount', [dir]);
  }
  // Remove /run/secrets/kubernetes.io/serviceaccount and its parents if the lab created them and they are empty.
  let d = path.resolve('/run/secrets/kubernetes.io/serviceaccount');
  while (d !== '/run' && existsSync(d) && readdirSync(d).length === 0) {
    rmdirSync(d);
    d = path.dirname(d);
  }
}
