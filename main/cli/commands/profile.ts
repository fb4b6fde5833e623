// `vigil profile NAMESPACE/POD`: the pod's application profile as the collector learned it.
import { CliError, UsageError, type Command } from '../command.js';
import { parseCommandArgs, printJson, requireOne } from '../parse-args.js';
import { CollectorClient, CollectorError } from '../../collector/collector-client.js';
import { collectorTargetOptions, collectorTargetUsage, resolveCollectorTarget } from '../../collector/cli-target.js';

const usage = `Usage: vigil profile NAMESPACE/POD (--lab | --collector URL --token-file F --ca-file F) [--json]

Prints the pod's application profile: state (learning, stable, drifted), since when, the syscalls, executables,
connections, sensitive files, LLM endpoints and models, and tool names it used, each with first/last seen times
and whether it is new since the baseline.

${collectorTargetUsage}
  --json                 the profile as JSON`;

export const profileCommand: Command = {
  name: 'profile',
  summary: "show a pod's application profile (baseline) from a collector",
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { ...collectorTargetOptions, json: { type: 'boolean', default: false } });
    const ref = requireOne(positionals, 'NAMESPACE/POD');
    const [namespace, pod, extra] = ref.split('/');
    if (!namespace || !pod || extra !== undefined) throw new UsageError(`expected NAMESPACE/POD, got '${ref}'`);
    const client = new CollectorClient(resolveCollectorTarget(values));
    try {
      const profile = await client.profile(namespace, pod);
      if (values.json) {
        printJson(io, profile);
        return 0;
      }
      const fresh = (items: { new: boolean }[]) => items.filter((i) => i.new).length;
      io.stdout(
        [
          `${namespace}/${pod}: ${profile.state} since ${profile.since} (learning until ${profile.learningEnds})`,
          `  syscalls     ${profile.syscalls.length}: ${profile.syscalls.join(' ')}`,
          `  executables  ${profile.executables.map((e) => e.path + (e.new ? ' (new)' : '')).join(', ') || '-'}`,
          `  connections  ${profile.connections.map((c) => `${c.direction} ${c.protocol} ${c.dnsName ?? c.peer}:${c.port}${c.new ? ' (new)' : ''}`).join(', ') || '-'}`,
          `  files        ${profile.files.map((f) => `${f.path} [${f.category}]`).join(', ') || '-'}`,
          `  llm          ${profile.llm.map((l) => `${l.provider} ${l.host}${l.path} ${l.model}`).join(', ') || '-'}`,
          `  tools        ${profile.tools.map((t) => t.name).join(', ') || '-'}`,
          `  new since baseline: ${fresh(profile.executables) + fresh(profile.connections) + fresh(profile.files) + fresh(profile.llm) + fresh(profile.tools) + fresh(profile.syscallDetails)}`,
        ].join('\n') + '\n',
      );
      return 0;
    } catch (error) {
      if (error instanceof CollectorError) throw new CliError(error.message);
      throw error;
    } finally {
      client.close();
    }
  },
};
