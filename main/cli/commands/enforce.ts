// `vigil enforce`: the observe → audit → enforce ladder of one workload at a time.
import { whoAmI } from '../../kube/access/whoami.js';
import { ActionLogFile } from '../../kube/action-log-file.js';
import { kubeTargetOptions, targetFrom } from '../../kube/kube-target-cli.js';
import { readLabState } from '../../../test/lab/lab-state.js';
import { CollectorClient } from '../../collector/collector-client.js';
import { resolveCollectorTarget } from '../../collector/cli-target.js';
import type { CollectorTarget } from '../../collector/collector-target.js';
import { EnforcementError, type EnforcementContext } from '../../enforce/enforcement-context.js';
import { EnforcementStore } from '../../enforce/enforcement-store.js';
import { readLiveCase } from '../../enforce/live-case.js';
import { latestBaselineRun } from '../../case/lab-case.js';
import { auditReport, decide, plan, startAudit, stopAudit } from '../../enforce/enforcement-audit.js';
import { promote, rollback } from '../../enforce/enforcement-promotion.js';
import { coverage, status } from '../../enforce/enforcement-status.js';
import { formatDuration } from '../../../shared/enforcement/promotion-gate.js';
import { CliError, UsageError, type CliIO, type Command } from '../command.js';
import { parseCommandArgs, printJson } from '../parse-args.js';
import path from 'node:path';
import os from 'node:os';

const usage = `Usage: vigil enforce plan|audit|decide|status|promote|rollback NAMESPACE/WORKLOAD (--lab [--as ROLE] | --context C) [--json]
       vigil enforce coverage (--lab | --context C) [--json]

Promotes a workload's observed baseline to enforced least privilege, through audit mode, with evidence at every step.
  plan       the generated NetworkPolicy, seccomp profile and RBAC Role, their replay over the recorded history,
             and the blast radius before and after (changes nothing)
  audit      with --start: run the plan in audit mode (the collector counts what it would drop; seccomp and RBAC are
             checked live); without: list the violations since the audit started and whether it may be promoted
  decide     decide on violations: decide W ID[,ID...] accept|suspicious --reason TEXT (accept widens the plan)
  status     where the workload (or, without one, every workload) stands on the ladder
  promote    apply the plan: server-side dry run, NetworkPolicy, scoped RBAC (old bindings revoked and saved),
             SeccompProfile where the operator exists, node allowlist switched to enforce
  rollback   restore exactly what the last promotion changed, back to audit mode
  coverage   the share of workloads and AI agents under enforced policies, blast radius before and after
Every step that changes something is dry-run first, checked with the API server's access review, and appended to
the hash-chained action log.

Options:
  --lab [--as responder|auditor|admin]  the running lab (responder by default)
  --context NAME                        a context of your kubeconfig files
  --collector URL --token-file F --ca-file F   the collector (with --context; --lab uses the lab's)
  --audit-log FILE                      an API server audit log (JSON lines) to judge RBAC use (repeatable)
  --start, --window DURATION            audit: start it, with this window (default 7d; e.g. 5m, 2h, 7d)
  --stop                                audit: end it without promoting (the node stops counting)
  --reason TEXT                         decide: why (recorded)
  --learning-window DURATION            how long baselines learn, in event time (default 30m; 1m with --lab)
  --since RFC3339                       leave out events before this time (set-up, an earlier incident)
  --learn-until RFC3339                 baselines learn until this time (the end of a known benign period)
  (an audit remembers --since and --learning-window: its later steps judge the same evidence the same way)
  --action-log FILE                     the action log (default: the lab's, or ~/.local/state/vigil/action-log.jsonl)
  --json                                print JSON`;

const DURATION = /^(\d+)(s|m|h|d)$/;
function parseDuration(text: string, flag: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new UsageError(`${flag} takes a duration like 90s, 5m, 2h or 7d, not '${text}'`);
  return Number(match[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

function workloadArg(value: string | undefined): string {
  if (!value || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(value)) throw new UsageError(`expected NAMESPACE/WORKLOAD (e.g. agents/research-agent), not '${value ?? ''}'`);
  return value;
}

function printLines(io: CliIO, lines: string[]): void {
  io.stdout(`${lines.join('\n')}\n`);
}

export const enforceCommand: Command = {
  name: 'enforce',
  summary: 'promote a workload to evidence-based least privilege through audit mode (plan, audit, promote, rollback)',
  usage,
  async run(argv, io) {
    const [verb, ...rest] = argv;
    const verbs = ['plan', 'audit', 'decide', 'status', 'promote', 'rollback', 'coverage'];
    if (!verb || !verbs.includes(verb)) throw new UsageError(verb ? `unknown step '${verb}'` : `missing the step: ${verbs.join(', ')}`);
    const { values, positionals } = parseCommandArgs(rest, {
      ...kubeTargetOptions,
      collector: { type: 'string' },
      'token-file': { type: 'string' },
      'ca-file': { type: 'string' },
      'audit-log': { type: 'string', multiple: true },
      start: { type: 'boolean', default: false },
      stop: { type: 'boolean', default: false },
      window: { type: 'string' },
      reason: { type: 'string' },
      'learning-window': { type: 'string' },
      since: { type: 'string' },
      'learn-until': { type: 'string' },
      'action-log': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const workload = verb === 'coverage' || (verb === 'status' && positionals.length === 0) ? undefined : workloadArg(positionals[0]);
    const target = targetFrom(values, values['action-log']);
    let collectorTarget: CollectorTarget | undefined;
    if (values.lab) collectorTarget = resolveCollectorTarget({ lab: true });
    else if (values.collector) collectorTarget = resolveCollectorTarget(values);
    const collector = collectorTarget ? new CollectorClient(collectorTarget) : undefined;
    const stateDir = values.lab ? readLabState()?.stateDir ?? path.dirname(target.actionLogFile) : path.join(process.env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state'), 'vigil');
    for (const flag of ['since', 'learn-until'] as const) {
      const value = values[flag];
      if (value !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value)))) throw new UsageError(`--${flag} ${value} is not an RFC 3339 time`);
    }
    // In the lab, the benign period is known: the latest baseline-traffic run (as `vigil stories --lab` uses it).
    const baselineRun = values.lab && !values.since && !values['learn-until'] && readLabState() ? latestBaselineRun(readLabState()!.stateDir) : undefined;
    if (baselineRun) io.stderr(`vigil enforce: baselines learn from the lab's latest baseline-traffic run (${baselineRun.startedAt} → ${baselineRun.endedAt}); override with --since/--learn-until\n`);
    const learningWindowMs = values['learning-window'] ? parseDuration(values['learning-window'], '--learning-window') : values.lab ? 60_000 : 30 * 60_000;
    const ctx: EnforcementContext = {
      client: target.client,
      clusterId: target.context.id,
      log: new ActionLogFile(target.actionLogFile),
      store: EnforcementStore.forServer(stateDir, target.client.server),
      ...(collector ? { collector } : {}),
      readCase: () => readLiveCase({ client: target.client, clusterId: target.context.id, ...(collectorTarget ? { collector: collectorTarget } : {}), auditLogs: [...target.auditLogs, ...(values['audit-log'] ?? [])] }, io.signal),
      analysis: baselineRun
        ? { learningWindowMs, since: baselineRun.startedAt, learnUntil: baselineRun.endedAt }
        : { learningWindowMs, ...(values.since ? { since: values.since } : {}), ...(values['learn-until'] ? { learnUntil: values['learn-until'] } : {}) },
      now: () => new Date(),
      whoAmI: () => whoAmI(target.client),
    };
    try {
      return await runStep(verb, workload, values, positionals, ctx, io);
    } catch (error) {
      if (error instanceof EnforcementError) throw new CliError(error.message);
      throw error;
    } finally {
      collector?.close();
    }
  },
};

async function runStep(verb: string, workload: string | undefined, values: { json?: boolean; start?: boolean; stop?: boolean; window?: string; reason?: string }, positionals: string[], ctx: EnforcementContext, io: CliIO): Promise<number> {
  const json = values.json ?? false;
  switch (verb) {
    case 'plan': {
      const result = await plan(ctx, workload!);
      if (json) return printJson(io, result), 0;
      printLines(io, [
        `${result.workload}: ${result.ladder.step}; baseline ${result.baseline.state} (${result.baseline.eventCount} events), plan from pod ${result.pod}`,
        `blast radius: ${result.blastRadius.before.reachableServices} services, ${result.blastRadius.before.readableSecrets} secrets, ${result.blastRadius.before.identities} identities → ${result.blastRadius.after.reachableServices}, ${result.blastRadius.after.readableSecrets}, ${result.blastRadius.after.identities}`,
        ...(['networkpolicy', 'seccomp', 'rbac'] as const).map((k) => `${k}: ${result.policies[k].objects.map((o) => `${o.kind} ${o.metadata.name}`).join(', ')}; replay over the recorded history would have blocked ${result.replays[k].blocked.length} of ${result.replays[k].eventsConsidered} events`),
        ...result.warnings.map((w) => `warning: ${w}`),
      ]);
      return 0;
    }
    case 'audit': {
      if (values.stop) {
        const stopped = await stopAudit(ctx, workload!);
        if (json) return printJson(io, stopped), 0;
        printLines(io, [`${workload}: audit stopped; node step ${stopped.nodeStep.status} (${stopped.nodeStep.detail})`, `logged as entry ${stopped.entry.seq}`]);
        return 0;
      }
      if (values.start) {
        const windowMs = parseDuration(values.window ?? '7d', '--window');
        const started = await startAudit(ctx, workload!, windowMs);
        if (json) return printJson(io, { entry: started.entry, state: started.state }), 0;
        printLines(io, [`${workload}: audit started at ${started.state.auditStartedAt} for ${formatDuration(windowMs)}; node step ${started.nodeStep.status} (${started.nodeStep.detail})`, `logged as entry ${started.entry.seq}`]);
        return 0;
      }
      const report = await auditReport(ctx, workload!);
      if (json) return printJson(io, report), 0;
      printLines(io, [
        `${workload}: ${report.ladder.step}; audit since ${report.auditStartedAt}, window ${formatDuration(report.windowMs)}; ${report.violations.length} violation(s) over ${report.eventsConsidered} events`,
        ...report.violations.map((v) => `  ${v.id}  ${v.kind.padEnd(13)} ${v.what} ×${v.count} (${v.sources.join('+')})${v.decision ? ` — ${v.decision.decision} by ${v.decision.by}` : ' — undecided'}`),
        report.gate.ready ? 'ready to promote' : `not ready to promote: ${report.gate.blockers.join('; ')}`,
      ]);
      return 0;
    }
    case 'decide': {
      const [, ids, choice] = positionals;
      if (!ids || (choice !== 'accept' && choice !== 'suspicious')) throw new UsageError('decide takes NAMESPACE/WORKLOAD VIOLATION_ID[,VIOLATION_ID...] accept|suspicious --reason TEXT');
      if (!values.reason) throw new UsageError('decide needs --reason TEXT (it is recorded in the action log)');
      const made = await decide(ctx, workload!, ids.split(',').filter(Boolean), choice === 'accept' ? 'accepted' : 'suspicious', values.reason);
      if (json) return printJson(io, made), 0;
      const outcome = choice === 'accept' ? 'accepted (added to the plan)' : 'suspicious (the policy will block it)';
      printLines(io, [...made.violations.map((v) => `${v.what}: ${outcome}`), `logged as entry ${made.entry.seq}`]);
      return 0;
    }
    case 'status': {
      const result = await status(ctx, workload);
      if (json) return printJson(io, result), 0;
      printLines(io, result.length ? result.map((s) => `${s.ladder.workload.padEnd(36)} ${s.ladder.step.padEnd(15)} since ${s.ladder.history.at(-1)?.at ?? '-'} by ${s.ladder.history.at(-1)?.by ?? '-'}${s.audit ? `; ${s.audit.violations} violation(s), ${s.audit.undecided} undecided${s.audit.gate.ready ? '; ready to promote' : ''}` : ''}`) : ['no workload has been observed yet']);
      return 0;
    }
    case 'promote':
    case 'rollback': {
      const result = verb === 'promote' ? await promote(ctx, workload!) : await rollback(ctx, workload!);
      if (json) return printJson(io, result), 0;
      printLines(io, [
        `${workload}: ${verb} ${result.entry.outcome}`,
        ...result.entry.objects.map((o) => `  ${o.status.padEnd(12)} ${o.op.padEnd(6)} ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} — ${o.purpose}`),
        ...(result.nodeStep ? [`  node step ${result.nodeStep.status}: ${result.nodeStep.detail}`] : []),
        ...result.entry.warnings.map((w) => `  warning: ${w}`),
        `logged as entry ${result.entry.seq}`,
      ]);
      return result.entry.outcome === 'applied' || result.entry.outcome === 'unchanged' ? 0 : 1;
    }
    default: {
      const result = await coverage(ctx);
      if (json) return printJson(io, result), 0;
      printLines(io, [result.summary, ...result.ladders.map((l) => `  ${l.workload.padEnd(36)} ${l.step}`)]);
      return 0;
    }
  }
}
