// Agent escape: a shell started inside an AI agent's container (when the baseline never had one), and attempts to
// leave the container — namespace and mount tools, escape-class syscalls (unshare, setns, mount, ptrace...), host
// paths such as the container runtime socket or /proc/1/root.
import { fileRef, processRef, workloadRef } from '../entity-ids.js';
import { baseName } from '../observed-names.js';
import { techniques } from '../techniques.js';
import { memoized } from '../memo.js';
import type { SignalDraft } from '../signal-store.js';
import { baseKeys, isShell, quote, where, type Detector, type DetectorContext } from './detector.js';

const ESCAPE_TOOLS = new Set(['nsenter', 'unshare', 'mount', 'umount', 'chroot', 'capsh', 'docker', 'crictl', 'ctr', 'runc', 'insmod', 'modprobe', 'debugfs', 'setns']);
const ESCAPE_SYSCALLS = new Set(['unshare', 'setns', 'mount', 'umount2', 'pivot_root', 'ptrace', 'init_module', 'finit_module', 'kexec_load', 'kexec_file_load', 'open_by_handle_at', 'fsopen', 'move_mount', 'bpf']);
/** Interpreters handed code that calls ptrace directly (python ctypes, perl syscall...), not only strace/gdb. */
const PTRACE_IN_CODE = /\bptrace\s*\(|PTRACE_(?:ATTACH|SEIZE|POKE)/;
const HOST_PATHS = /^\/(?:proc\/1\/(?:root|ns|environ)|host\/|var\/run\/docker\.sock|run\/containerd\/containerd\.sock|run\/crio\/crio\.sock|var\/lib\/kubelet\/|proc\/sys\/kernel\/core_pattern|sys\/fs\/cgroup\/.*release_agent|dev\/(?:mem|kmem|sda|nvme))/;
const isHostPath = memoized((path) => HOST_PATHS.test(path));

export class AgentEscapeDetector implements Detector {
  readonly name = 'agent-escape';
  readonly kinds = ['process.exec', 'syscall.first', 'file.open'] as const;
  private readonly attempts = new Map<string, Set<string>>();

  onEvent(ctx: DetectorContext, emit: (draft: SignalDraft) => void): void {
    const e = ctx.o.event;
    const workload = ctx.o.workload;
    if (!workload) return;
    if (e.kind === 'process.exec') {
      const exe = e.process?.exe ?? e.details.filename;
      const name = baseName(exe);
      // A shell whose parent is a shell belongs to a session already judged (or started from outside, like kubectl exec).
      const parentIsShell = ctx.o.process?.parentExe ? isShell(baseName(ctx.o.process.parentExe)) : false;
      if (isShell(name) && ctx.ready && this.insideWorkload(ctx) && !parentIsShell && !ctx.profile!.has('executables', exe)) this.shell(ctx, emit, exe, name);
      if (PTRACE_IN_CODE.test(e.process?.args.join(' ') ?? '') && this.insideWorkload(ctx)) this.attempt(ctx, emit, `ran ${name} with code calling ptrace`, [processRef(workload, exe)]);
      if (ESCAPE_TOOLS.has(name) && this.insideWorkload(ctx)) this.attempt(ctx, emit, `ran ${name}${e.process?.args.length ? ` (${quote(e.process.args.join(' '), 60)})` : ''}`, [processRef(workload, exe)]);
      return;
    }
    if (e.kind === 'syscall.first' && ESCAPE_SYSCALLS.has(e.details.syscall)) {
      if (!this.insideWorkload(ctx) || (ctx.ready && ctx.profile!.has('syscalls', e.details.syscall))) return;
      this.attempt(ctx, emit, `used the ${e.details.syscall} syscall`, []);
      return;
    }
    if (e.kind === 'file.open' && isHostPath(e.details.path)) {
      this.attempt(ctx, emit, `opened host path ${e.details.path}`, [fileRef(e.details.path)]);
    }
  }

  /**
   * Whether the event's process was started from inside the workload. The container's first process (runc, or the
   * lab's nsenter launcher) joins namespaces as part of starting the container; an escape comes from a process the
   * workload itself spawned. Events without a process (rare) count as inside.
   */
  private insideWorkload(ctx: DetectorContext): boolean {
    return ctx.o.process === null || ctx.o.process.hasPodParent;
  }

  /**
   * A shell a workload never ran during its baseline. In an AI agent it usually means model output runs as commands
   * (a tool such as run_shell); in a network-facing service, a command injection through its API.
   */
  private shell(ctx: DetectorContext, emit: (draft: SignalDraft) => void, exe: string, name: string): void {
    const workload = ctx.o.workload!;
    const agent = ctx.names.roleOf(workload) === 'agent';
    const serves = ctx.profile!.features.get('ingress')!.size > 0;
    if (!agent && !serves) return;
    const parent = ctx.o.process?.parentExe ? baseName(ctx.o.process.parentExe) : 'an unknown parent';
    const e = ctx.o.event;
    emit({
      detector: 'agent-escape',
      rule: agent ? 'shell-in-agent' : 'shell-in-service',
      dedupeKey: `${ctx.o.process?.tree ?? ctx.o.pod}`,
      severity: 'medium',
      confidence: 0.8,
      time: e.time,
      workload,
      pod: ctx.o.pod,
      techniques: agent
        ? techniques('unixShell', 'pluginCompromise', 'llmImproperOutput', 'llmExcessiveAgency', 'agentToolMisuse', 'agentCodeExecution')
        : techniques('exploitPublicFacing', 'unixShell'),
      summary: `a shell (${name}) started in the ${agent ? "agent's " : 'service '}${where(ctx)}, spawned by ${parent}: ${quote(e.process?.args.join(' ') ?? exe, 120)}`,
      explanation: agent
        ? `The agent's container never ran ${exe} during its baseline; a shell spawned by the agent usually means model output is being executed as commands.`
        : `This service never ran ${exe} during its baseline; a shell spawned by a process that serves requests is the classic sign of command injection.`,
      eventIds: [e.id],
      entities: [workloadRef(workload), processRef(workload, exe)],
      correlationKeys: baseKeys(ctx),
    });
  }

  private attempt(ctx: DetectorContext, emit: (draft: SignalDraft) => void, what: string, entities: ReturnType<typeof fileRef>[]): void {
    const workload = ctx.o.workload!;
    const key = ctx.o.pod ?? workload;
    let seen = this.attempts.get(key);
    if (!seen) this.attempts.set(key, (seen = new Set()));
    seen.add(what);
    const list = [...seen];
    const ptrace = list.some((w) => w.includes('ptrace'));
    emit({
      detector: 'agent-escape',
      rule: 'escape-attempt',
      dedupeKey: key,
      replaceText: true,
      severity: 'high',
      confidence: list.length > 1 ? 0.9 : 0.7,
      time: ctx.o.event.time,
      workload,
      pod: ctx.o.pod,
      techniques: [
        ...techniques('escapeToHost', 'agentCodeExecution'),
        ...(ptrace ? techniques('ptraceInjection') : []),
        ...(ctx.names.roleOf(workload) === 'agent' ? techniques('rogueAgents') : []),
      ],
      summary: `a process in ${where(ctx)} tried to leave its container: it ${list.join('; ')}`,
      explanation: 'Namespace, mount and tracing operations and host paths are how a process breaks out of its container; an application container has no reason to use them.',
      eventIds: [ctx.o.event.id],
      entities: [workloadRef(workload), ...(ctx.o.process ? [processRef(workload, ctx.o.process.exe)] : []), ...entities],
      correlationKeys: baseKeys(ctx),
    });
  }
}
