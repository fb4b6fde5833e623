// Starting processes "inside" a lab pod, the way a container runtime would: the process joins the pod container's
// cgroup BEFORE it execs the real command (so even its first syscalls are attributed to the pod), then enters the
// pod's network, mount and UTS namespaces. It sees the pod's service-account token and resolv.conf, not the host's.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { findLabPod, podKey as keyOf, KUBERNETES_SERVICE_IP } from './topology.js';
import { readLabState, type LabPodState, type LabState } from './lab-state.js';

export interface SpawnInLabOptions {
  /** Environment of the process. It does NOT inherit the caller's environment (a container would not). */
  env?: Record<string, string>;
  /** Working directory inside the pod's mount namespace (default /). */
  cwd?: string;
  detached?: boolean;
  stdio?: StdioOptions;
  /** A lab state other than the one in the default state dir. */
  lab?: LabState;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// sh moves itself ($$) into the cgroup, then execs nsenter (same pid), which enters the namespaces and execs argv.
const ENTER_SCRIPT = 'echo $$ > "$1/cgroup.procs" || exit 126\n'
  + 'netns=$2; mnt=$3; uts=$4; wd=$5; shift 5\n'
  + 'exec /usr/bin/nsenter --net="$netns" ${mnt:+--mount="$mnt"} ${uts:+--uts="$uts"} --wdns="$wd" -- "$@"';

function requireLab(lab?: LabState): LabState {
  const state = lab ?? readLabState();
  if (!state) throw new Error('the lab is not up (no state.json); run `vigil lab up` first');
  return state;
}

/** The running lab's record of a pod, by `namespace/name` or `namespace/<owner name>`. */
export function labPod(key: string, lab?: LabState): LabPodState {
  const state = requireLab(lab);
  const spec = findLabPod(key);
  const found = spec && state.pods.find((p) => keyOf(p) === keyOf(spec));
  if (!found) {
    throw new Error(`no lab pod "${key}"; pods: ${state.pods.map((p) => keyOf(p)).join(', ')}`);
  }
  return found;
}

export function spawnInPod(podKey: string, argv: string[], opts: SpawnInLabOptions = {}): ChildProcess {
  const pod = labPod(podKey, opts.lab);
  const env = {
    PATH: DEFAULT_PATH,
    HOME: '/root',
    HOSTNAME: pod.name,
    KUBERNETES_SERVICE_HOST: KUBERNETES_SERVICE_IP,
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    ...opts.env,
  };
  return spawnEntering(pod.cgroupDir, `/run/netns/${pod.netns}`, pod.mountNamespaceFile, pod.utsNamespaceFile, argv, env, opts);
}

/** A process on the lab's "external" host (the internet stand-in): its network namespace and its own cgroup. */
export function spawnOnExternalHost(argv: string[], opts: SpawnInLabOptions = {}): ChildProcess {
  const state = requireLab(opts.lab);
  const env = { PATH: DEFAULT_PATH, HOME: '/root', ...opts.env };
  return spawnEntering(state.externalHost.cgroupDir, `/run/netns/${state.externalHost.netns}`, '', '', argv, env, opts);
}

function spawnEntering(cgroupDir: string, netnsFile: string, mountFile: string, utsFile: string, argv: string[], env: Record<string, string>, opts: SpawnInLabOptions): ChildProcess {
  if (argv.length === 0) throw new Error('spawnInPod needs a command to run');
  return spawn('/bin/sh', ['-c', ENTER_SCRIPT, 'vigil-lab-enter', cgroupDir, netnsFile, mountFile, utsFile, opts.cwd ?? '/', ...argv], {
    env,
    detached: opts.detached ?? false,
    stdio: opts.stdio ?? 'pipe',
  });
}
