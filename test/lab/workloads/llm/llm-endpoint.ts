// The lab's LLM provider (api.llm-provider.example:443): an HTTPS server speaking the OpenAI chat-completions and
// Anthropic messages APIs, answering from the deterministic script engine. It checks the API key like a provider
// would, and records every exchange (without the key) in RECORD_FILE so tests can see which rule answered.
//   env: LISTEN_HOST, LISTEN_PORT (443), TLS_KEY_FILE, TLS_CERT_FILE, RECORD_FILE, LLM_KEY_PREFIX (sk-lab-)
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { announceReady, listenConfig, record } from '../external/listen-env.js';
import { messageBody, messageEvents, parseMessagesRequest } from './anthropic-wire.js';
import { BadRequestError, chatCompletionBody, chatCompletionChunks, parseChatRequest, usageFor } from './openai-wire.js';
import { nextReply } from './script-engine.js';

const KEY_PREFIX = process.env.LLM_KEY_PREFIX ?? 'sk-lab-';
const MAX_BODY = 4 * 1024 * 1024;
const MODELS = ['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5'];

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function apiKeyOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header : undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadRequestError('request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequestError('request body is not valid JSON');
  }
}

async function streamEvents(res: ServerResponse, events: { event?: string; data: string }[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const e of events) {
    res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${e.data}\n\n`);
    // A little pacing so clients really consume a stream of separate TLS records, as with a real provider.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  res.end();
}

async function chatCompletions(req: IncomingMessage, res: ServerResponse, client: string): Promise<void> {
  const body = await readJson(req);
  const request = parseChatRequest(body);
  const reply = nextReply(request);
  const usage = usageFor(JSON.stringify(body), reply);
  const id = `chatcmpl-${randomUUID().replaceAll('-', '').slice(0, 24)}`;
  const created = Math.floor(Date.now() / 1000);
  record({ api: 'openai', client, model: request.model, stream: request.stream, rule: reply.rule, toolCalls: reply.toolCalls, text: reply.text });
  if (!request.stream) return sendJson(res, 200, chatCompletionBody(id, created, request.model, reply, usage));
  const chunks = chatCompletionChunks(id, created, request.model, reply, request.includeUsage ? usage : null);
  await streamEvents(res, chunks.map((data) => ({ data })));
}

async function messages(req: IncomingMessage, res: ServerResponse, client: string): Promise<void> {
  const body = await readJson(req);
  const request = parseMessagesRequest(body);
  const reply = nextReply(request);
  const usage = usageFor(JSON.stringify(body), reply);
  const id = `msg_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
  record({ api: 'anthropic', client, model: request.model, stream: request.stream, rule: reply.rule, toolCalls: reply.toolCalls, text: reply.text });
  if (!request.stream) return sendJson(res, 200, messageBody(id, request.model, reply, usage.prompt_tokens, usage.completion_tokens));
  const events = messageEvents(id, request.model, reply, usage.prompt_tokens, usage.completion_tokens);
  await streamEvents(res, events.map(([event, data]) => ({ event, data })));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const client = req.socket.remoteAddress ?? 'unknown';
  const key = apiKeyOf(req);
  if (!key || !key.startsWith(KEY_PREFIX)) {
    record({ api: 'auth', client, path, rejected: key ? 'bad key' : 'no key' });
    return sendJson(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
  }
  if (req.method === 'GET' && path === '/v1/models') {
    return sendJson(res, 200, { object: 'list', data: MODELS.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'vigil-lab' })) });
  }
  if (req.method === 'POST' && path === '/v1/chat/completions') return chatCompletions(req, res, client);
  if (req.method === 'POST' && path === '/v1/messages') return messages(req, res, client);
  sendJson(res, 404, { error: { message: `Unknown request URL: ${req.method} ${path}`, type: 'invalid_request_error' } });
}

const config = listenConfig(443, true);
const server = createServer({ key: config.tls!.key, cert: config.tls!.cert }, (req, res) => {
  handle(req, res).catch((error: unknown) => {
    const status = error instanceof BadRequestError ? 400 : 500;
    if (!res.headersSent) sendJson(res, status, { error: { message: (error as Error).message, type: 'invalid_request_error' } });
    else res.end();
  });
});
server.listen(config.port, config.host, () => announceReady('llm-endpoint', server.address()));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
