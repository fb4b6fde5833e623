// `vigil actions verify FILE`: checks a hash-chained action log and names the first entry altered, removed or reordered.
import { readFileSync } from 'node:fs';
import { CliError, UsageError, type Command } from '../command.js';
import { parseCommandArgs, printJson, requireOne } from '../parse-args.js';
import { verifyActionChain, type ChainHead } from '../../../shared/evidence/action-chain.js';

const usage = `Usage: vigil actions verify FILE [--json] [--expect-head SEQ:HASH]

Recomputes every entry's SHA-256 over its canonical JSON and follows the chain of prevHash links. Exit 0 when the
log is intact, 1 when it is not (the first entry altered, removed or reordered is named).
--expect-head also catches entries cut from the end: give the last entry's seq and hash as recorded elsewhere.
The format and a jq + sha256sum recipe to check it without Vigil: shared/evidence/action-chain.ts.`;

function parseHead(text: string | undefined): ChainHead | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (!match) throw new UsageError('--expect-head takes SEQ:HASH (a number, a colon, 64 lowercase hex digits)');
  return { seq: Number(match[1]), hash: match[2]! };
}

export const actionsCommand: Command = {
  name: 'actions',
  summary: 'verify a hash-chained action log',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'verify') throw new UsageError(sub === undefined ? 'missing subcommand (verify)' : `unknown subcommand '${sub}'`);
    const { values, positionals } = parseCommandArgs(rest, { json: { type: 'boolean' }, 'expect-head': { type: 'string' } });
    const file = requireOne(positionals, 'FILE');
    const expectedHead = parseHead(values['expect-head']);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
    }
    const verdict = verifyActionChain(text, expectedHead ? { expectedHead } : {});
    if (values.json) printJson(io, { file, ...verdict });
    else if (verdict.intact) io.stdout(`${file}: intact, ${verdict.entries} entries${verdict.head ? `, last ${verdict.head.seq}:${verdict.head.hash}` : ''}\n`);
    else io.stdout(`${file}: BROKEN at line ${verdict.firstBreak.line}: ${verdict.firstBreak.message} (${verdict.verifiedEntries} entries before it verified)\n`);
    return verdict.intact ? 0 : 1;
  },
};
