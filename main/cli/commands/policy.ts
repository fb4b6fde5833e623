// `vigil policy generate|replay`: least-privilege policies from a workload's learned baseline, and audit replay of a
// proposed policy over the recorded history (exactly which events it would have refused).
import { readFile } from 'node:fs/promises';
import { dump, loadAll } from 'js-yaml';
import { CliError, UsageError, type CliIO, type Command } from '../command.js';
import { parseCommandArgs, printJson, requireOne } from '../parse-args.js';
import { CASE_USAGE, caseOptions, engineForCase } from '../../case/case-option.js';
import type { PolicyKind } from '../../../shared/model/policy.js';
import { PolicyTargetError } from '../../../shared/engine/policy-target.js';
import { ReplayInputError } from '../../../shared/engine/policy-replay.js';

const usage = `Usage: vigil policy generate NAMESPACE/POD --kind networkpolicy|seccomp|rbac (--case PATH | --lab | --collector URL ...) [--spo] [--json]
       vigil policy replay FILE (--case PATH | --lab | --collector URL ...) [--pod NAMESPACE/POD] [--json]

generate  a policy allowing exactly what the pod's workload did while its baseline learned:
            networkpolicy  NetworkPolicy YAML (ingress/egress allowlists, DNS always allowed)
            seccomp        seccomp profile JSON (--spo: a security-profiles-operator SeccompProfile as YAML)
            rbac           Role/RoleBinding (ClusterRole/Binding for cluster-wide calls) YAML, scoped to observed use
          --json prints {kind, pod, workload, objects, seccomp?, justification: [{rule, eventIds}], warnings}
replay    runs the policy in FILE (YAML or JSON: NetworkPolicies, a seccomp profile or SeccompProfile, or RBAC roles
          with bindings) over the case's recorded events and lists what it would have blocked; a plain seccomp JSON
          needs --pod to say which workload it is for
          --json prints {policy, kind, eventsConsidered, blocked: [{eventId, time, pod, what, policy}]}

${CASE_USAGE}`;

const KINDS: PolicyKind[] = ['networkpolicy', 'seccomp', 'rbac'];

export const policyCommand: Command = {
  name: 'policy',
  summary: 'generate least-privilege policies from baselines; replay a policy over recorded history',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    try {
      if (sub === 'generate') return await generate(rest, io);
      if (sub === 'replay') return await replayCommand(rest, io);
    } catch (error) {
      if (error instanceof PolicyTargetError || error instanceof ReplayInputError) throw new CliError(error.message);
      throw error;
    }
    if (sub === undefined) throw new UsageError('missing subcommand (generate or replay)');
    throw new UsageError(`unknown subcommand '${sub}'`);
  },
};

function yamlDocuments(objects: unknown[]): string {
  return objects.map((o) => dump(o, { noRefs: true, lineWidth: 120 })).join('---\n');
}

async function generate(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...caseOptions, kind: { type: 'string' }, spo: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } });
  const pod = requireOne(positionals, 'NAMESPACE/POD');
  if (!/^[^/]+\/[^/]+$/.test(pod)) throw new UsageError(`'${pod}' is not NAMESPACE/POD`);
  const kind = values.kind as PolicyKind | undefined;
  if (!kind || !KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
  if (values.spo && kind !== 'seccomp') throw new UsageError('--spo applies to --kind seccomp only');
  const engine = await engineForCase(values, (m) => io.stderr(`vigil: ${m}\n`));
  const policy = engine.generatePolicy(pod, kind);
  for (const warning of policy.warnings) io.stderr(`vigil policy: warning: ${warning}\n`);
  if (values.json) printJson(io, policy);
  else if (kind === 'seccomp' && !values.spo) io.stdout(`${JSON.stringify(policy.seccomp, null, 2)}\n`);
  else if (policy.objects.length > 0) io.stdout(yamlDocuments(policy.objects));
  return 0;
}

async function replayCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...caseOptions, pod: { type: 'string' }, json: { type: 'boolean', default: false } });
  const file = requireOne(positionals, 'policy FILE');
  let documents: unknown[];
  try {
    documents = loadAll(await readFile(file, 'utf8')).filter((d) => d !== null && d !== undefined);
  } catch (error) {
    throw new CliError(`cannot read the policy in ${file}: ${(error as Error).message}. Nothing was replayed.`);
  }
  if (documents.length === 0) throw new CliError(`${file} holds no policy documents. Nothing was replayed.`);
  const engine = await engineForCase(values, (m) => io.stderr(`vigil: ${m}\n`));
  const result = engine.replayPolicy(documents, values.pod);
  if (values.json) {
    printJson(io, result);
    return 0;
  }
  io.stdout(`${result.kind} ${result.policy}: ${result.eventsConsidered} recorded events considered, ${result.blocked.length} would have been blocked\n`);
  for (const b of result.blocked) io.stdout(`  ${b.time}  ${b.pod ?? ''}  ${b.what}  (event ${b.eventId})\n`);
  return 0;
}
