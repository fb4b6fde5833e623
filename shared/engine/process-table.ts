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
}

export class ProcessTable {
  private readonly byKey = new Map<string, ProcessInfo>();

  /** Records the event's process (exec replaces the image) and returns what is known about it. */
  observe(event: RuntimeEvent, pod: string | null): ProcessInfo | null {
    const ref = event.process;
    if (!ref) return null;
    const key = `${event.node}/${ref.pid}`;
    let info = this.byKey.get(key);
    const parent = this.byKey.get(`${event.node}/${ref.ppid}`);
    const samePodParent = parent && parent.pod === pod ? parent : undefined;
    if (!info || (event.kind === 'process.exec' && (info.exe !== ref.exe || info.ppid !== ref.ppid))) {
      const tree = samePodParent ? samePodParent.tree : `tree:${pod ?? event.node}:${ref.pid}`;
      info = { key, pid: ref.pid, ppid: ref.ppid, exe: ref.exe, args: ref.args, pod, tree, parentExe: samePodParent?.exe ?? parent?.exe ?? null };
      this.byKey.set(key, info);
    }
    return info;
  }

  get(node: string, pid: number): ProcessInfo | undefined {
    return this.byKey.get(`${node}/${pid}`);
  }

  get size(): number {
    return this.byKey.size;
  }
}
