// Benchmark: exporting and verifying an evidence bundle of one million events (issue 8: export < 20 s, verify
// < 5 s). Each step runs as its own process under /usr/bin/time (wall time, peak RSS), next to two baselines measured
// in the same run on the same events file: `sha256sum` (the least any verifier must do) and `gzip -1` (the least any
// compressing exporter must do). Figures are printed as seconds, MiB and ratios to those baselines.
//
//   npx tsx test/bench/evidence-bundle.ts [--events 1000000] [--engine]
//
// --engine also times an export that derives graph, stories and AI-BOM with the engine (the CLI's default), with the
// engine in its worker thread and, for comparison, in the main thread (VIGIL_ENGINE_WORKER=0). On a shared machine
// wall time says little, so each thread's CPU time is sampled from /proc: the busiest thread's CPU is the export's
// critical path, what it would take on an idle machine with a core per busy thread.
// Every vigil step includes the CLI's own start-up (loading every command's modules), shown as its own baseline.
// The generated case is cached in ${VIGIL_CACHE:-~/.cache/vigil}/bench/evidence-<N>/ and reused.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { writeSyntheticCase } from '../fixtures/bundles/synthetic-case.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, engine: { type: 'boolean', default: false } } });
const eventCount = Number(values.events);
const cache = path.join(process.env.VIGIL_CACHE ?? path.join(os.homedir(), '.cache', 'vigil'), 'bench', `evidence-${eventCount}`);
const caseDir = path.join(cache, 'case');
const bundle = path.join(cache, 'bench.vigil');
const env = { ...process.env, XDG_CONFIG_HOME: path.join(cache, 'config') };

interface Measured {
  seconds: number;
  /** User + system CPU seconds: on a loaded machine, a better guide than wall time to what an idle one would take. */
  cpuSeconds: number;
  peakMiB: number;
}

function timed(label: string, command: string[]): Measured {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...command], { cwd: repo, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${label} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const [seconds, user, system, kib] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { seconds: seconds!, cpuSeconds: user! + system!, peakMiB: kib! / 1024 };
}

/** CPU seconds of each thread of `command`, sampled from /proc every 100 ms until it exits (Linux only). */
async function threadCpu(label: string, command: string[], extraEnv: Record<string, string>): Promise<{ busiest: number; total: number; threads: number }> {
  const child = spawn(command[0]!, command.slice(1), { cwd: repo, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const perThread = new Map<string, number>();
  const tick = 100; // USER_HZ
  const sample = () => {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${child.pid}/task`);
    } catch {
      return;
    }
    for (const tid of tasks) {
      try {
        const fields = readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        perThread.set(tid, (Number(fields[11]) + Number(fields[12])) / tick);
      } catch {
        // the thread ended between listing and reading
      }
    }
  };
  const timer = setInterval(sample, 100);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`${label} failed (${code}): ${stderr.slice(-2000)}`);
  const values = [...perThread.values()];
  return { busiest: Math.max(0, ...values), total: values.reduce((a, b) => a + b, 0), threads: values.filter((v) => v > 0.5).length };
}

async function ensureCase(): Promise<void> {
  const marker = path.join(cache, 'generated');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(eventCount)) return;
  rmSync(cache, { recursive: true, force: true });
  const started = Date.now();
  await writeSyntheticCase(caseDir, eventCount);
  writeFileSync(marker, String(eventCount));
  console.error(`generated ${eventCount} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

await ensureCase();
spawnSync(path.join(repo, 'bin/vigil'), ['--version'], { cwd: repo, stdio: 'ignore' });
const cli = ['node', path.join(repo, 'dist/cli/vigil.mjs')];
const eventsFile = path.join(caseDir, 'events.ndjson');
const eventsMiB = statSync(eventsFile).size / 1024 ** 2;

const startup = timed('vigil --version', [...cli, '--version']);
timed('page cache warm-up', ['sh', '-c', `cat '${eventsFile}' > /dev/null`]);
const sha = timed('sha256sum', ['sha256sum', eventsFile]);
const gzip = timed('gzip -1', ['sh', '-c', `gzip -1 -c '${eventsFile}' > /dev/null`]);
const exported = timed('export', [...cli, 'evidence', 'export', '--case', caseDir, '--out', bundle, '--no-engine']);
const bundleMiB = statSync(bundle).size / 1024 ** 2;
const verified = timed('verify', [...cli, 'evidence', 'verify', bundle]);
const withEngine = values.engine ? timed('export with engine', [...cli, 'evidence', 'export', '--case', caseDir, '--out', `${bundle}.engine`]) : undefined;
const engineExport = [...cli, 'evidence', 'export', '--case', caseDir, '--out', `${bundle}.engine`];
const threads = values.engine
  ? { worker: await threadCpu('export, engine in a worker', engineExport, {}), inline: await threadCpu('export, engine inline', engineExport, { VIGIL_ENGINE_WORKER: '0' }) }
  : undefined;

const row = (name: string, m: Measured, baseline: Measured, goal?: number) =>
  `${name.padEnd(30)} ${m.seconds.toFixed(2).padStart(8)} s ${m.cpuSeconds.toFixed(2).padStart(8)} s ${m.peakMiB.toFixed(0).padStart(7)} MiB ${(m.cpuSeconds / Math.max(0.01, baseline.cpuSeconds)).toFixed(1).padStart(7)}x${goal ? `   goal < ${goal} s: ${m.seconds < goal ? 'met' : 'not met'} (wall), ${m.cpuSeconds < goal ? 'met' : 'not met'} (CPU)` : ''}`;

console.log(`evidence bundle benchmark: ${eventCount.toLocaleString('en-US')} events, events.ndjson ${eventsMiB.toFixed(0)} MiB, bundle ${bundleMiB.toFixed(0)} MiB, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}`);
console.log(`${'step'.padEnd(30)} ${'wall'.padStart(10)} ${'CPU'.padStart(10)} ${'peak RSS'.padStart(11)} ${'CPU ratio'.padStart(8)}`);
console.log(row('baseline: CLI start-up alone', startup, startup));
console.log(row('baseline: sha256sum events', sha, sha));
console.log(row('baseline: gzip -1 events', gzip, gzip));
console.log(row('export (--no-engine) vs gzip', exported, gzip, 20));
console.log(row('verify vs sha256sum', verified, sha, 5));
if (withEngine) console.log(row('export with engine vs gzip', withEngine, gzip, 20));
if (threads) {
  // On an idle machine the export takes at least its busiest thread's CPU time, and at least all threads' CPU time
  // spread over the cores: the larger of the two is the estimate.
  const line = (name: string, t: { busiest: number; total: number; threads: number }) => {
    const estimate = Math.max(t.busiest, t.total / os.cpus().length);
    return `${name.padEnd(30)} busiest thread ${t.busiest.toFixed(2).padStart(6)} s CPU, all ${t.threads} busy threads ${t.total.toFixed(2).padStart(6)} s: idle ${os.cpus().length}-core estimate ${estimate.toFixed(1)} s   goal < 20 s: ${estimate < 20 ? 'met' : 'not met'}`;
  };
  console.log(line('export, engine in a worker', threads.worker));
  console.log(line('export, engine inline', threads.inline));
}
