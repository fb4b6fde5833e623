// `vigil scenario list|run`: the lab's named benign and attack scenarios (test/lab/scenarios).
import { CliError, UsageError, type Command, type CliIO } from '../command.js';
import { parseCommandArgs, printJson, requireOne } from '../parse-args.js';
import { readLabState } from '../../../test/lab/lab-state.js';
import { SCENARIOS, findScenario } from '../../../test/lab/scenarios/scenario-registry.js';
import { runScenario } from '../../../test/lab/scenarios/scenario-runner.js';
import { startLabWorkloads, workloadsStateDir } from '../../../test/lab/workloads/index.js';
import { isAlive, readProcesses } from '../../../test/lab/workloads/process-supervisor.js';

const usage = `Usage: vigil scenario list [--json]
       vigil scenario run NAME [--json]

Named scenarios that make the lab's workloads do something worth observing, tagged benign or attack, each with a
machine-readable expectation (steps, entities, ATT&CK / ATLAS / OWASP ids).

  list   the scenarios; --json prints [{name, tags, description, expected}]
  run    run one against the running lab (see \`vigil lab up\`; its workloads are started if they are not running); --json prints {name, runId, startedAt, endedAt, ok, ...}
         and every run is appended to scenario-runs.jsonl in the lab's state directory`;

export const scenarioCommand: Command = {
  name: 'scenario',
  summary: 'list the lab scenarios or run one against the running lab',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'list') return list(rest, io);
    if (sub === 'run') return run(rest, io);
    if (sub === undefined) throw new UsageError('missing subcommand (list or run)');
    throw new UsageError(`unknown subcommand '${sub}'`);
  },
};

function list(argv: string[], io: CliIO): number {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean', default: false } }, false);
  if (values.json) {
    printJson(io, SCENARIOS.map((s) => s.description));
    return 0;
  }
  const width = Math.max(...SCENARIOS.map((s) => s.description.name.length));
  for (const { description: d } of SCENARIOS) io.stdout(`${d.name.padEnd(width)}  ${d.tags[0]!.padEnd(6)}  ${d.description}\n`);
  return 0;
}

function noWorkloadRunning(lab: NonNullable<ReturnType<typeof readLabState>>): boolean {
  return !readProcesses(workloadsStateDir(lab)).some((p) => isAlive(p.pid));
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean', default: false } });
  const name = requireOne(positionals, 'scenario NAME');
  const scenario = findScenario(name);
  if (!scenario) throw new UsageError(`no scenario named '${name}'; run \`vigil scenario list\` to see them`);
  const lab = readLabState();
  if (!lab) throw new CliError('the lab is not up (no state file); run `vigil lab up` first. Nothing was run.');
  const log = (message: string) => io.stderr(`vigil scenario: ${message}\n`);
  // Scenarios need the workloads: start whatever is not running (a lab brought up with --no-workloads, a crash).
  if (noWorkloadRunning(lab)) log('starting the lab workloads first');
  const { env, files } = await startLabWorkloads(lab).catch((error: unknown) => {
    throw new CliError(`could not start the lab workloads: ${(error as Error).message}\nIs the lab healthy? See \`vigil lab status\`. Nothing was run.`);
  });
  const result = await runScenario(scenario, env, files, log);
  if (values.json) printJson(io, result);
  else io.stdout(`${result.name} ${result.ok ? 'ran' : 'FAILED'}: run ${result.runId}, ${result.startedAt} → ${result.endedAt}\n`);
  if (!result.ok) io.stderr(`vigil scenario: ${name} failed: ${result.error}\n`);
  return result.ok ? 0 : 1;
}
