// `vigil lab up|status|down|exec`: the cluster-in-a-box that tests and the demo run against (test/lab).
import { CliError, UsageError, type CliIO, type Command } from '../command.js';
import { parseCommandArgs, printJson } from '../parse-args.js';
import { labStateDir, labStatusJson, readLabState } from '../../../test/lab/lab-state.js';
import { LabPreflightError, labPreflight } from '../../../test/lab/preflight.js';
import { describePods, labUp } from '../../../test/lab/lab-up.js';
import { labDown } from '../../../test/lab/lab-down.js';
import { withLabLock } from '../../../test/lab/lab-lock.js';
import { labHealth } from '../../../test/lab/lab-health.js';
import { labPod, spawnInPod } from '../../../test/lab/pod-exec.js';

const usage = `Usage: vigil lab up [--json] [--no-workloads]
       vigil lab status [--json]
       vigil lab down
       vigil lab exec NAMESPACE/POD -- CMD [ARGS...]

The lab: a real kube-apiserver and etcd on 127.0.0.1, simulated nodes and pods (each a cgroup named as the kubelet
names it, in its own network namespace on the bridge vigil0), cluster DNS, an "external" host namespace, the
collector when it is built, and the workloads. Linux and root only. State lives in ${labStateDir()}.

  up      bring the lab up, or repair what is missing from a running one (idempotent)
  status  what is running; exit 1 when the lab is not (fully) up
  down    stop everything and remove every process, namespace, mount, cgroup, bridge and rule the lab made
  exec    run CMD in the pod's cgroup and network/mount namespaces with stdio attached; exits with CMD's code
          (POD may also be the owner name, e.g. agents/research-agent)`;

export const labCommand: Command = {
  name: 'lab',
  summary: 'bring the local cluster-in-a-box up or down, show it, or run a command in one of its pods',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'up': return await up(rest, io);
      case 'status': return await status(rest, io);
      case 'down': return await down(rest, io);
      case 'exec': return await exec(rest, io);
      case undefined: throw new UsageError('missing subcommand (up, status, down or exec)');
      default: throw new UsageError(`unknown subcommand '${sub}'`);
    }
  },
};

function progress(io: CliIO): (message: string) => void {
  return (message) => io.stderr(`vigil lab: ${message}\n`);
}

function preflightOrFail(): void {
  try {
    labPreflight();
  } catch (error) {
    if (error instanceof LabPreflightError) throw new CliError(error.message);
    throw error;
  }
}

async function up(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    json: { type: 'boolean', default: false },
    'no-workloads': { type: 'boolean', default: false },
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  preflightOrFail();
  const started = Date.now();
  const state = await withLabLock('lab up', progress(io), () => labUp({ log: progress(io), withoutWorkloads: values['no-workloads'] }));
  io.stderr(`vigil lab: up in ${((Date.now() - started) / 1000).toFixed(1)} s — pods: ${describePods(state)}\n`);
  if (values.json) printJson(io, labStatusJson(state));
  else io.stdout(`kubeconfig: ${state.kubeconfig}\ncontexts: ${Object.values(state.contexts).join(', ')}\ncollector: ${state.collector?.url ?? 'not running'}\n`);
  return 0;
}

async function status(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean', default: false } });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const state = readLabState();
  if (!state) {
    if (values.json) printJson(io, { up: false, problems: ['the lab is not up'] });
    else io.stderr('vigil lab: the lab is not up (run `vigil lab up`)\n');
    return 1;
  }
  const health = await labHealth(state);
  if (values.json) printJson(io, { up: health.problems.length === 0, problems: health.problems, ...labStatusJson(state) });
  else {
    io.stdout(`apiserver ${state.apiserver.url} (${state.apiserver.version}), kubeconfig ${state.kubeconfig}\n`);
    io.stdout(`pods: ${describePods(state)}\ncollector: ${state.collector?.url ?? 'not running'}\n`);
    for (const problem of health.problems) io.stderr(`vigil lab: problem: ${problem}\n`);
  }
  return health.problems.length === 0 ? 0 : 1;
}

async function down(argv: string[], io: CliIO): Promise<number> {
  const { positionals } = parseCommandArgs(argv, {});
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  preflightOrFail();
  const started = Date.now();
  await withLabLock('lab down', progress(io), () => labDown({ log: progress(io) }));
  io.stderr(`vigil lab: down in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return 0;
}

async function exec(argv: string[], io: CliIO): Promise<number> {
  const separator = argv.indexOf('--');
  const target = separator === -1 ? argv.slice(0, 1) : argv.slice(0, separator);
  const command = separator === -1 ? argv.slice(1) : argv.slice(separator + 1);
  if (target.length !== 1 || !target[0]?.includes('/')) throw new UsageError('expected NAMESPACE/POD before --');
  if (command.length === 0) throw new UsageError('expected a command after --');
  preflightOrFail();
  try {
    labPod(target[0]);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const child = spawnInPod(target[0], command, { stdio: 'inherit', env: passThroughTerminalEnv() });
  const forward = () => child.kill('SIGTERM');
  io.signal.addEventListener('abort', forward, { once: true });
  return await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
}

/** Like `kubectl exec -t`, keep the caller's terminal type so interactive tools behave. */
function passThroughTerminalEnv(): Record<string, string> {
  return process.env.TERM ? { TERM: process.env.TERM } : {};
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 0;
}
