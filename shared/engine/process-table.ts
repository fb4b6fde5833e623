// What the engine knows about each process on each node: executable, parent, and the root of its process tree
// inside the pod (the first ancestor whose parent lies outside the pod), which joins signals into one story.
import type { RuntimeEvent } from '../model/event.js';

export interface ProcessInfo {
  key: string;
  pid: number;
  ppid: number;
  exe: string;
  args: string[];
  pod: string | null;
  /** `tree:<pod>:<root pid>`: every process spawned under one pod-level ancestor shares it. */
  tree: string;
  parentExe: string | null;
  /**
   * False for the pod's first process (its parent lives outside the pod: the container runtime, or the lab's
   * launcher). Namespace joins by such a process are how containers start, not how they are escaped.
   */
  hasPodParent: boolean;
  /**
   * True for processes of a session started into the pod from outside after its main process (kubectl exec, the
   * lab's `vigil lab exec`): operator activity, which baselines do not learn as the application's behaviour.
   */
  execSession: boolean;
}

export class ProcessTable {
  /** node → pid → process: nested so the hot path builds no key strings. */
  private readonly byNode = new Map<string, Map<number, ProcessInfo>>();
  private count = 0;
  /** Events come mostly from one node: its table is kept at hand. */
  private lastNode: string | null = null;
  private lastPids: Map<number, ProcessInfo> | undefined;
  /** The process tree of each pod's first root process: its main process. */
  private readonly mainTree = new Map<string, string>();

  /** Records the event's process (exec replaces the image) and returns what is known about it. */
  observe(event: RuntimeEvent, pod: string | null): ProcessInfo | null {
    const ref = event.process;
    if (!ref) return null;
    let pids = event.node === this.lastNode ? this.lastPids : this.byNode.get(event.node);
    if (!pids) this.byNode.set(event.node, (pids = new Map()));
    this.lastNode = event.node;
    this.lastPids = pids;
    let info = pids.get(ref.pid);
    if (info && info.pod === pod && (event.kind !== 'process.exec' || (info.exe === ref.exe && info.ppid === ref.ppid))) return info;
    const parent = pids.get(ref.ppid);
    const samePodParent = parent && parent.pod === pod ? parent : undefined;
    const tree = samePodParent ? samePodParent.tree : `tree:${pod ?? event.node}:${ref.pid}`;
    if (!info) this.count++;
    const podKey = pod ?? event.node;
    if (!this.mainTree.has(podKey)) this.mainTree.set(podKey, tree);
    const execSession = this.mainTree.get(podKey) !== tree;
    info = { key: `${event.node}/${ref.pid}`, pid: ref.pid, ppid: ref.ppid, exe: ref.exe, args: ref.args, pod, tree, parentExe: samePodParent?.exe ?? parent?.exe ?? null, hasPodParent: samePodParent !== undefined, execSession };
    pids.set(ref.pid, info);
    return info;
  }

  get(node: string, pid: number): ProcessInfo | undefined {
    return this.byNode.get(node)?.get(pid);
  }

  get size(): number {
    return this.count;
  }
}
