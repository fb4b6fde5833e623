// Entry point of the `vigil` command line (bin/vigil runs the bundled form of this file).
import { commands } from './commands.js';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIO, type Command } from './command.js';
import { VIGIL_VERSION } from '../version.js';

/** The list of every command needs each one's summary, so it loads them all (only for help and usage errors). */
async function topLevelUsage(): Promise<string> {
  const loaded = await Promise.all(commands.map((c) => c.load()));
  const width = Math.max(...loaded.map((c) => c.name.length));
  const lines = loaded.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: vigil <command> [options]',
    '',
    'Investigation and attack-story workbench for AI agents running on Kubernetes.',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  --help     show this help, or a command\'s help with `vigil <command> --help`',
    '  --version  print the version',
    '',
    'Data goes to stdout (JSON with --json); messages go to stderr. Exit 0 success, 1 failure, 2 bad usage.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${await topLevelUsage()}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VIGIL_VERSION}\n`);
    return EXIT_OK;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`vigil: unknown command '${name}'\n\n${await topLevelUsage()}\n`);
    return EXIT_USAGE;
  }
  const command: Command = await entry.load();
  // Only Vigil's own options: after `--` the words belong to another program (`vigil lab exec ns/pod -- ls --help`).
  const ownOptions = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (ownOptions.includes('--help') || ownOptions.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`vigil ${name}: ${error.message}\n\n${command.usage}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof CliError) {
      io.stderr(`vigil ${name}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    io.stderr(`vigil ${name}: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
}

function runFromProcess(): void {
  // `vigil events --json | head`: the reader went away, which is how a pipeline says "enough" — stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const io: CliIO = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    signal: controller.signal,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`vigil: ${String(error)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}

runFromProcess();
