// `vigil aibom`: the runtime AI-BOM of a case as CycloneDX 1.6 JSON.
import type { Command } from '../command.js';
import { parseCommandArgs, printJson } from '../parse-args.js';
import { CASE_USAGE, caseOptions, engineForCase } from '../../case/case-option.js';

const usage = `Usage: vigil aibom (--case PATH | --lab | --collector URL ...)

Prints the runtime AI-BOM (CycloneDX 1.6 JSON, lifecycle phase "operations"): models seen in LLM traffic or loaded
by inference servers, LLM and external APIs with their data flows, AI frameworks and SDKs seen loaded (with versions),
agents, MCP servers and tools — each with the instrumentation evidence and event ids behind it.

${CASE_USAGE}`;

export const aibomCommand: Command = {
  name: 'aibom',
  summary: 'runtime AI-BOM of a case (CycloneDX 1.6 JSON)',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { ...caseOptions, json: { type: 'boolean', default: true } }, false);
    const engine = await engineForCase(values, (m) => io.stderr(`vigil: ${m}\n`));
    printJson(io, engine.aibom());
    return 0;
  },
};
