// The shape of a `vigil` subcommand. Each command lives in main/cli/commands/<name>.ts and is listed in
// main/cli/commands.ts. Conventions for every command:
//   - data goes to stdout (JSON with --json, NDJSON for streams); messages go to stderr;
//   - exit 0 on success, 1 on failure, 2 on bad usage (throw UsageError).

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Aborted on SIGINT/SIGTERM so long-running commands (serve, --follow) can stop cleanly. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  /** One line for `vigil --help`. */
  summary: string;
  /** Full usage text for `vigil NAME --help` and usage errors. */
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Bad usage: the CLI prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the user can act on: the CLI prints the message (no stack trace) and exits 1. */
export class CliError extends Error {
  override name = 'CliError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
