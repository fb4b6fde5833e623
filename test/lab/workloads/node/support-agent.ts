// support-agent: a Node AI agent (pod agents/support-agent-*), built on the npm openai SDK and the MCP SDK.
// POST /tasks {"task": "...", "stream": true} runs an LLM tool loop (streaming by default) against the lab's LLM
// provider and really executes the calls: get_weather (HTTPS API), read_file, http_post, plus the tools of the
// "shell" MCP server (launched over stdio) and of mcp-files (streamable HTTP).
//   env: LLM_BASE_URL, LLM_API_KEY, LLM_MODEL, MCP_FILES_URL, WEATHER_API_URL, LISTEN_HOST, LISTEN_PORT (8080),
//        NODE_EXTRA_CA_CERTS (the lab CA)
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
};
const MODEL = process.env.LLM_MODEL ?? 'gpt-4o-mini';
const MAX_TURNS = 8;
const llm = new OpenAI({ baseURL: env('LLM_BASE_URL'), apiKey: env('LLM_API_KEY') });

interface Call { id: string; name: string; arguments: string }
interface Step { tool: string; arguments: string; ok: boolean }

function fn(name: string, description: string, params: Record<string, string>): ChatCompletionTool {
  const properties = Object.fromEntries(Object.entries(params).map(([k, d]) => [k, { type: 'string', description: d }]));
  return { type: 'function', function: { name, description, parameters: { type: 'object', properties, required: Object.keys(params) } } };
}

const localTools: ChatCompletionTool[] = [
  fn('get_weather', 'Current weather for a city.', { city: 'city name' }),
  fn('read_file', 'Read a local text file.', { path: 'file path' }),
  fn('http_post', 'POST a text body to a URL.', { url: 'absolute URL', body: 'request body' }),
];

const localImplementations: Record<string, (args: Record<string, string>) => Promise<string>> = {
  async get_weather({ city }) {
    const response = await fetch(`${env('WEATHER_API_URL')}/v1/current?city=${encodeURIComponent(city ?? '')}`);
    return `HTTP ${response.status}: ${await response.text()}`;
  },
  async read_file({ path }) {
    return (await readFile(path ?? '', 'utf8')).slice(0, 256 * 1024);
  },
  async http_post({ url, body }) {
    const response = await fetch(url ?? '', { method: 'POST', body: body ?? '', headers: { 'content-type': 'text/plain' } });
    return `HTTP ${response.status}: ${(await response.text()).slice(0, 4096)}`;
  },
};

async function mcpTools(prefix: string, client: Client): Promise<ChatCompletionTool[]> {
  const { tools } = await client.listTools();
  return tools.map((t) => ({
    type: 'function',
    function: { name: `${prefix}__${t.name}`, description: t.description ?? '', parameters: t.inputSchema as Record<string, unknown> },
  }));
}

/** One model turn. Streaming assembles tool-call deltas by index, as OpenAI's own examples do. */
async function complete(messages: ChatCompletionMessageParam[], tools: ChatCompletionTool[], stream: boolean): Promise<{ content: string; calls: Call[] }> {
  if (!stream) {
    const message = (await llm.chat.completions.create({ model: MODEL, messages, tools })).choices[0]?.message;
    const calls = (message?.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : []));
    return { content: message?.content ?? '', calls };
  }
  let content = '';
  const calls: Call[] = [];
  const chunks = await llm.chat.completions.create({ model: MODEL, messages, tools, stream: true, stream_options: { include_usage: true } });
  for await (const chunk of chunks) {
    const delta = chunk.choices[0]?.delta;
    content += delta?.content ?? '';
    for (const part of delta?.tool_calls ?? []) {
      const call = (calls[part.index] ??= { id: '', name: '', arguments: '' });
      call.id = part.id ?? call.id;
      call.name += part.function?.name ?? '';
      call.arguments += part.function?.arguments ?? '';
    }
  }
  return { content, calls };
}

async function execute(call: Call, servers: Record<string, Client>): Promise<{ output: string; ok: boolean }> {
  try {
    const args = JSON.parse(call.arguments || '{}') as Record<string, string>;
    const [prefix, name] = call.name.split('__');
    const server = name ? servers[prefix ?? ''] : undefined;
    if (server && name) {
      const result = await server.callTool({ name, arguments: args });
      const text = (result.content as { type: string; text?: string }[]).map((b) => b.text ?? '').join('\n');
      return { output: result.isError ? `error: ${text}` : text, ok: !result.isError };
    }
    const implementation = localImplementations[call.name];
    if (!implementation) return { output: `error: unknown tool ${call.name}`, ok: false };
    return { output: await implementation(args), ok: true };
  } catch (error) {
    return { output: `error: ${(error as Error).message}`, ok: false };
  }
}

async function runTask(task: string, stream: boolean, shell: Client): Promise<{ answer: string; steps: Step[] }> {
  const files = new Client({ name: 'support-agent', version: '2.1.0' });
  await files.connect(new StreamableHTTPClientTransport(new URL(env('MCP_FILES_URL'))));
  try {
    const servers = { shell, files };
    const tools = [...localTools, ...(await mcpTools('shell', shell)), ...(await mcpTools('files', files))];
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: 'You are the customer-support assistant. Use the tools when they help; answer briefly.' },
      { role: 'user', content: task },
    ];
    const steps: Step[] = [];
    for (let turn = 0; turn < MAX_TURNS; turn += 1) {
      const { content, calls } = await complete(messages, tools, stream);
      if (calls.length === 0) return { answer: content, steps };
      messages.push({ role: 'assistant', content: content || null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) });
      for (const call of calls) {
        const { output, ok } = await execute(call, servers);
        steps.push({ tool: call.name, arguments: call.arguments, ok });
        messages.push({ role: 'tool', tool_call_id: call.id, content: output });
      }
    }
    return { answer: 'stopped: too many tool turns', steps };
  } finally {
    await files.close();
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const shell = new Client({ name: 'support-agent', version: '2.1.0' });
await shell.connect(new StdioClientTransport({
  command: process.execPath,
  args: [...process.execArgv, fileURLToPath(new URL('./shell-mcp-server.ts', import.meta.url))],
  stderr: 'inherit',
}));

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') return reply(res, 200, { ok: true });
  if (req.method !== 'POST' || req.url !== '/tasks') return reply(res, 404, { error: 'use POST /tasks or GET /healthz' });
  readBody(req)
    .then((body) => {
      const { task, stream } = (body ?? {}) as { task?: unknown; stream?: unknown };
      if (typeof task !== 'string') return reply(res, 400, { error: 'body must be {"task": string, "stream"?: bool}' });
      return runTask(task, stream !== false, shell).then((result) => reply(res, 200, result));
    })
    .catch((error: unknown) => reply(res, 500, { error: (error as Error).message }));
});
server.listen(Number(process.env.LISTEN_PORT ?? 8080), process.env.LISTEN_HOST ?? '0.0.0.0', () => {
  process.stdout.write(`${JSON.stringify({ ready: 'support-agent', port: (server.address() as { port: number }).port })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void shell.close().finally(() => process.exit(0));
});
