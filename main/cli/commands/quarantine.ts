// `vigil quarantine soft|hard|release NAMESPACE/POD`: contain a pod, or undo exactly what a quarantine changed.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CliError, UsageError, type Command } from '../command.js';
import { parseCommandArgs, printJson, requireOne } from '../parse-args.js';
import { quarantinePeerSchema, type QuarantinePeer } from '../../../shared/model/action.js';
import { ActionLogError, ActionLogFile } from '../../kube/action-log-file.js';
import { kubeTargetOptions, targetFrom } from '../../kube/kube-target-cli.js';
import { NoCollectorEnforcer, type NodeEnforcer } from '../../kube/quarantine/node-enforcer.js';
import { CollectorNodeEnforcer } from '../../kube/quarantine/collector-node-enforcer.js';
import { CollectorTargetError, targetFromFiles, targetFromLab } from '../../collector/collector-target.js';
import { QuarantineError, quarantinePod, releasePod, type ActionReport } from '../../kube/quarantine/quarantine-executor.js';

const usage = `Usage: vigil quarantine soft|hard|release NAMESPACE/POD (--lab [--as responder|auditor|admin] | --context NAME)
                        [--dry-run] [--json] [--action-log FILE] [--timeout MS]
                        [--collector URL --token-file F --ca-file F | --no-collector]
       soft:  [--allow CIDR[:PORT[/PROTO]]]... [--baseline FILE] [--allow-ingress-from CIDR[:PORT[/PROTO]]]...
       hard:  [--cordon] [--scale-to-zero]

soft     label the pod vigil.dev/quarantine=soft and allow only its baseline (--allow, --baseline: a JSON list of
         peers {cidr|namespace|podLabels, ports}) plus DNS; the collector's node-level allowlist when connected
hard     deny all its traffic, revoke its service account's (Cluster)RoleBinding subjects (saved first), optionally
         cordon its node or scale its owner to zero; the collector's node-level deny when connected
release  undo exactly what the latest unreleased quarantine of the pod changed, from the saved state in the log

Every action asks the API server whether you may (SelfSubjectAccessReview), dry-runs server-side, applies, reads
back, and appends a hash-chained entry to the action log (--lab: in the lab's state dir).
The node-level step goes to the collector: the lab's with --lab, or the one given with --collector; without one it is
recorded as 'unavailable' and the Kubernetes part stands on its own.`;

/** The collector that takes the node-level step: the lab's, the one named, or none (recorded as unavailable). */
function nodeEnforcerFor(values: { lab?: boolean; collector?: string; 'token-file'?: string; 'ca-file'?: string; 'no-collector'?: boolean }): NodeEnforcer {
  if (values['no-collector']) return new NoCollectorEnforcer('--no-collector was given, so the node-level step was not taken');
  try {
    if (values.collector) {
      if (!values['token-file'] || !values['ca-file']) throw new UsageError('--collector needs --token-file and --ca-file');
      return new CollectorNodeEnforcer(targetFromFiles(values.collector, values['token-file'], values['ca-file']));
    }
    if (values.lab) return new CollectorNodeEnforcer(targetFromLab());
  } catch (error) {
    if (error instanceof CollectorTargetError) return new NoCollectorEnforcer(`no collector to take the node-level step: ${error.message}`);
    throw error;
  }
  return new NoCollectorEnforcer();
}

function parsePeer(text: string): QuarantinePeer {
  const match = /^([0-9a-fA-F.:]+(?:\/\d+)?)(?::(\d+)(?:\/(TCP|UDP|SCTP))?)?$/.exec(text);
  if (!match) throw new UsageError(`--allow '${text}' is not CIDR[:PORT[/PROTO]] (e.g. 203.0.113.10/32:443/TCP)`);
  const cidr = match[1]!.includes('/') ? match[1]! : `${match[1]}/${match[1]!.includes(':') ? 128 : 32}`;
  const peer = { cidr, ...(match[2] ? { ports: [{ protocol: (match[3] ?? 'TCP') as 'TCP', port: Number(match[2]) }] } : {}) };
  const parsed = quarantinePeerSchema.safeParse(peer);
  if (!parsed.success) throw new UsageError(`--allow '${text}': ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function readBaseline(file: string): QuarantinePeer[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read the baseline ${file}: ${(error as Error).message}; nothing was changed`);
  }
  const parsed = z.array(quarantinePeerSchema).max(256).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`the baseline ${file} is not a list of peers: ${issue?.path.join('.')}: ${issue?.message}; nothing was changed`);
  }
  return parsed.data;
}

function printReport(io: { stdout(t: string): void; stderr(t: string): void }, report: ActionReport, json: boolean): void {
  if (json) {
    printJson(io, { summary: report.summary, entry: report.entry });
    return;
  }
  io.stdout(`${report.summary}\n`);
  for (const o of report.entry.objects) {
    io.stdout(`  ${o.status.padEnd(15)} ${o.op.padEnd(6)} ${o.kind}${o.subresource ? `/${o.subresource}` : ''} ${o.namespace ? `${o.namespace}/` : ''}${o.name} — ${o.purpose}${o.error ? `\n      ${o.error}` : ''}\n`);
  }
  for (const d of report.entry.dryRun.objects.filter((d) => !d.ok)) io.stdout(`  dry run refused: ${d.error}\n`);
  for (const p of report.entry.verification.problems) io.stdout(`  verification: ${p}\n`);
  for (const w of report.entry.warnings) io.stdout(`  warning: ${w}\n`);
  io.stdout(`  logged as entry ${report.entry.seq} (${report.entry.hash})\n`);
}

export const quarantineCommand: Command = {
  name: 'quarantine',
  summary: 'soft or hard quarantine of a pod, or its release (dry-run first, logged)',
  usage,
  async run(argv, io) {
    const [mode, ...rest] = argv;
    if (mode !== 'soft' && mode !== 'hard' && mode !== 'release') throw new UsageError(mode === undefined ? 'missing soft, hard or release' : `unknown mode '${mode}'`);
    const { values, positionals } = parseCommandArgs(rest, {
      ...kubeTargetOptions,
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      'action-log': { type: 'string' },
      allow: { type: 'string', multiple: true },
      'allow-ingress-from': { type: 'string', multiple: true },
      baseline: { type: 'string' },
      cordon: { type: 'boolean' },
      'scale-to-zero': { type: 'boolean' },
      collector: { type: 'string' },
      'token-file': { type: 'string' },
      'ca-file': { type: 'string' },
      'no-collector': { type: 'boolean' },
    });
    const podArg = requireOne(positionals, 'NAMESPACE/POD');
    const [namespace, pod, extra] = podArg.split('/');
    if (!namespace || !pod || extra !== undefined) throw new UsageError(`'${podArg}' is not NAMESPACE/POD`);
    if (mode !== 'soft' && (values.allow || values.baseline || values['allow-ingress-from'])) throw new UsageError('--allow, --allow-ingress-from and --baseline apply to soft quarantine');
    if (mode !== 'hard' && (values.cordon || values['scale-to-zero'])) throw new UsageError('--cordon and --scale-to-zero apply to hard quarantine');
    const egress = [...(values.allow ?? []).map(parsePeer), ...(values.baseline ? readBaseline(values.baseline) : [])];
    const ingress = values['allow-ingress-from']?.map(parsePeer);

    const target = targetFrom(values, values['action-log']);
    const ctx = { client: target.client, clusterId: target.context.id, log: new ActionLogFile(target.actionLogFile), nodeEnforcer: nodeEnforcerFor(values) };
    let report: ActionReport;
    try {
      report =
        mode === 'release'
          ? await releasePod(ctx, { namespace, pod }, { dryRun: values['dry-run'] })
          : await quarantinePod(ctx, mode, { namespace, pod }, { egress, ingress, cordon: values.cordon, scaleOwnerToZero: values['scale-to-zero'], dryRun: values['dry-run'] });
    } catch (error) {
      if (error instanceof QuarantineError || error instanceof ActionLogError) throw new CliError(error.message);
      throw error;
    }
    printReport(io, report, values.json ?? false);
    const ok = ['applied', 'unchanged', 'dry-run'].includes(report.entry.outcome) && report.entry.verification.ok;
    return ok ? 0 : 1;
  },
};
