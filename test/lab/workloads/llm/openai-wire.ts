// OpenAI chat-completions wire format: request → Conversation, ScriptedReply → response body or SSE chunks,
// shaped like api.openai.com answers (including streamed tool-call deltas) so the real SDKs accept them.
import { type Conversation, type ScriptedReply, type Turn, toolNameForCall } from './conversation.js';

export class BadRequestError extends Error {
  override name = 'BadRequestError';
}

type Json = Record<string, unknown>;

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof (part as Json)?.text === 'string' ? (part as Json).text : '')).join('');
  }
  return '';
}

function parseArguments(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string' || raw === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return { _unparsed: raw };
  }
}

export function parseChatRequest(body: unknown): Conversation & { stream: boolean; includeUsage: boolean } {
  if (!body || typeof body !== 'object') throw new BadRequestError('request body must be a JSON object');
  const request = body as Json;
  if (typeof request.model !== 'string') throw new BadRequestError("'model' is required");
  if (!Array.isArray(request.messages) || request.messages.length === 0) throw new BadRequestError("'messages' must be a non-empty array");
  const turns: Turn[] = [];
  for (const raw of request.messages as Json[]) {
    const role = raw?.role;
    if (role === 'system' || role === 'developer') turns.push({ role: 'system', text: contentText(raw.content) });
    else if (role === 'user') turns.push({ role: 'user', text: contentText(raw.content) });
    else if (role === 'assistant') {
      const calls = Array.isArray(raw.tool_calls) ? (raw.tool_calls as Json[]) : [];
      turns.push({
        role: 'assistant',
        text: contentText(raw.content),
        toolCalls: calls.map((c) => {
          const fn = (c.function ?? {}) as Json;
          return { id: String(c.id ?? ''), name: String(fn.name ?? ''), arguments: parseArguments(fn.arguments) };
        }),
      });
    } else if (role === 'tool') {
      const toolCallId = String(raw.tool_call_id ?? '');
      turns.push({ role: 'tool', text: contentText(raw.content), toolCallId, toolName: toolNameForCall(turns, toolCallId) });
    } else throw new BadRequestError(`unsupported message role: ${String(role)}`);
  }
  const tools = Array.isArray(request.tools) ? (request.tools as Json[]) : [];
  const toolNames = tools.map((t) => String(((t.function ?? {}) as Json).name ?? '')).filter(Boolean);
  const streamOptions = (request.stream_options ?? {}) as Json;
  return { model: request.model, turns, toolNames, stream: request.stream === true, includeUsage: streamOptions.include_usage === true };
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function usageFor(requestText: string, reply: ScriptedReply): Usage {
  const prompt = Math.ceil(requestText.length / 4);
  const completion = Math.ceil((reply.text.length + JSON.stringify(reply.toolCalls).length) / 4);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function wireToolCalls(reply: ScriptedReply) {
  return reply.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } }));
}

export function chatCompletionBody(id: string, created: number, model: string, reply: ScriptedReply, usage: Usage): Json {
  const hasCalls = reply.toolCalls.length > 0;
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.text === '' && hasCalls ? null : reply.text, refusal: null, ...(hasCalls ? { tool_calls: wireToolCalls(reply) } : {}) },
        logprobs: null,
        finish_reason: hasCalls ? 'tool_calls' : 'stop',
      },
    ],
    usage,
    system_fingerprint: 'fp_vigil_lab',
  };
}

/** Splits text into pieces the way a model streams tokens (a few characters at a time). */
export function pieces(text: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The `data:` payloads of a streamed completion, in order, ending with "[DONE]". */
export function chatCompletionChunks(id: string, created: number, model: string, reply: ScriptedReply, usage: Usage | null): string[] {
  const chunk = (delta: Json, finish: string | null) =>
    JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_vigil_lab', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const out = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
  for (const piece of pieces(reply.text)) out.push(chunk({ content: piece }, null));
  reply.toolCalls.forEach((call, index) => {
    out.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, null));
    for (const piece of pieces(JSON.stringify(call.arguments), 16)) {
      out.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null));
    }
  });
  out.push(chunk({}, reply.toolCalls.length > 0 ? 'tool_calls' : 'stop'));
  if (usage) out.push(JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage }));
  out.push('[DONE]');
  return out;
}
