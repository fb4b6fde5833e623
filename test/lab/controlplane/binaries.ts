// Finds (building on first use) the control-plane binaries pinned by controlplane/build/go.mod.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../repo-paths.js';

export interface ControlPlaneBinaries {
  dir: string;
  kubeApiserver: string;
  etcd: string;
  kubernetesVersion: string;
  etcdVersion: string;
}

/** The repository's test/lab/controlplane directory. */
export function controlPlaneSourceDir(): string {
  return path.join(repoRoot(), 'test/lab/controlplane');
}

export function pinnedVersions(sourceDir = controlPlaneSourceDir()): { kubernetes: string; etcd: string } {
  const gomod = readFileSync(path.join(sourceDir, 'build/go.mod'), 'utf8');
  const pick = (module: string): string => {
    const match = new RegExp(`^\\s*${module.replaceAll('.', '\\.')}\\s+(v\\S+)`, 'm').exec(gomod);
    if (!match?.[1]) throw new Error(`build/go.mod does not pin ${module}`);
    return match[1];
  };
  return { kubernetes: pick('k8s.io/kubernetes'), etcd: pick('go.etcd.io/etcd/server/v3') };
}

/** Runs build.sh (a no-op when the binaries are cached) and returns their paths. Progress goes to stderr. */
export function ensureControlPlaneBinaries(): ControlPlaneBinaries {
  const sourceDir = controlPlaneSourceDir();
  const result = spawnSync('bash', [path.join(sourceDir, 'build.sh'), '--print-dir'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the control-plane binaries failed (test/lab/controlplane/build.sh exit ${result.status}); see the messages above`);
  const dir = result.stdout.trim().split('\n').pop() ?? '';
  const versions = pinnedVersions(sourceDir);
  return { dir, kubeApiserver: path.join(dir, 'kube-apiserver'), etcd: path.join(dir, 'etcd'), kubernetesVersion: versions.kubernetes, etcdVersion: versions.etcd };
}
