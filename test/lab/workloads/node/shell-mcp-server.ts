// shell: an MCP server over stdio (launched by the support agent) with one "run_command" tool for host health
// checks. Like many such tools it checks only the first word against an allowlist and then hands the whole line
// to /bin/sh, so "uptime; anything" runs anything: the kind of tool a misled agent turns into a shell.
import { execFile } from 'node:child_process';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const ALLOWED = new Set(['uptime', 'df', 'free', 'ps', 'hostname', 'date', 'whoami', 'id']);
const server = new McpServer({ name: 'shell', version: '0.9.1' });

server.registerTool(
  'run_command',
  {
    description: `Run a diagnostic command (${[...ALLOWED].join(', ')}) and return its output.`,
    inputSchema: { command: z.string().describe('command line, e.g. "df -h /"') },
  },
  async ({ command }) => {
    const program = command.trim().split(/\s+/)[0] ?? '';
    if (!ALLOWED.has(program)) return { isError: true, content: [{ type: 'text', text: `command not allowed: ${program}` }] };
    const output = await new Promise<string>((resolve) => {
      execFile('/bin/sh', ['-c', command], { timeout: 30_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
        resolve(`exit status ${error ? (error.code ?? 1) : 0}\n${stdout}${stderr}`);
      });
    });
    return { content: [{ type: 'text', text: output }] };
  },
);

await server.connect(new StdioServerTransport());
