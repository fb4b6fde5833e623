// Anthropic messages wire format (/v1/messages): request → Conversation, ScriptedReply → message or SSE events.
import { type Conversation, type ScriptedReply, type Turn } from './conversation.js';
import { BadRequestError, pieces } from './openai-wire.js';

type Json = Record<string, unknown>;

function blocks(content: unknown): Json[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? (content as Json[]) : [];
}

function blockText(content: unknown): string {
  return blocks(content)
    .map((b) => (b.type === 'text' && typeof b.text === 'string' ? b.text : ''))
    .join('');
}

export function parseMessagesRequest(body: unknown): Conversation & { stream: boolean } {
  if (!body || typeof body !== 'object') throw new BadRequestError('request body must be a JSON object');
  const request = body as Json;
  if (typeof request.model !== 'string') throw new BadRequestError("'model' is required");
  if (!Array.isArray(request.messages) || request.messages.length === 0) throw new BadRequestError("'messages' must be a non-empty array");
  const turns: Turn[] = [];
  const system = typeof request.system === 'string' ? request.system : blockText(request.system);
  if (system) turns.push({ role: 'system', text: system });
  const names = new Map<string, string>();
  for (const message of request.messages as Json[]) {
    if (message?.role === 'assistant') {
      const calls = blocks(message.content).filter((b) => b.type === 'tool_use');
      for (const c of calls) names.set(String(c.id), String(c.name));
      turns.push({
        role: 'assistant',
        text: blockText(message.content),
        toolCalls: calls.map((c) => ({ id: String(c.id), name: String(c.name), arguments: (c.input ?? {}) as Record<string, unknown> })),
      });
    } else if (message?.role === 'user') {
      const results = blocks(message.content).filter((b) => b.type === 'tool_result');
      for (const r of results) {
        const id = String(r.tool_use_id ?? '');
        turns.push({ role: 'tool', text: typeof r.content === 'string' ? r.content : blockText(r.content), toolCallId: id, toolName: names.get(id) ?? 'unknown' });
      }
      const text = blockText(message.content);
      if (text || results.length === 0) turns.push({ role: 'user', text });
    } else throw new BadRequestError(`unsupported message role: ${String(message?.role)}`);
  }
  const tools = Array.isArray(request.tools) ? (request.tools as Json[]) : [];
  return { model: request.model, turns, toolNames: tools.map((t) => String(t.name ?? '')).filter(Boolean), stream: request.stream === true };
}

function contentBlocks(reply: ScriptedReply): Json[] {
  const out: Json[] = [];
  if (reply.text) out.push({ type: 'text', text: reply.text });
  for (const c of reply.toolCalls) out.push({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments });
  return out;
}

export function messageBody(id: string, model: string, reply: ScriptedReply, inputTokens: number, outputTokens: number): Json {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: contentBlocks(reply),
    stop_reason: reply.toolCalls.length > 0 ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: inputTokens, output_tokens: outputTokens },
  };
}

/** Server-sent events of a streamed message: [event name, data JSON] pairs, in order. */
export function messageEvents(id: string, model: string, reply: ScriptedReply, inputTokens: number, outputTokens: number): [string, string][] {
  const events: [string, Json][] = [
    ['message_start', { type: 'message_start', message: { ...messageBody(id, model, { ...reply, text: '', toolCalls: [] }, inputTokens, 1), content: [], stop_reason: null } }],
  ];
  contentBlocks(reply).forEach((block, index) => {
    if (block.type === 'text') {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }]);
      for (const piece of pieces(String(block.text))) {
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }]);
      }
    } else {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: { ...block, input: {} } }]);
      for (const piece of pieces(JSON.stringify(block.input), 16)) {
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }]);
      }
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  });
  events.push(['message_delta', { type: 'message_delta', delta: { stop_reason: reply.toolCalls.length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: outputTokens } }]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events.map(([name, data]) => [name, JSON.stringify(data)]);
}
