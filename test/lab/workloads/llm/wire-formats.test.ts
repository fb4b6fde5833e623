import { describe, expect, it } from 'vitest';
import { messageEvents, parseMessagesRequest } from './anthropic-wire.js';
import { chatCompletionChunks, parseChatRequest } from './openai-wire.js';
import type { ScriptedReply } from './conversation.js';

const reply: ScriptedReply = { rule: 'test', text: '', toolCalls: [{ id: 'call_s0_abc', name: 'fetch_url', arguments: { url: 'https://docs.partner.example/a' } }] };

describe('OpenAI wire format', () => {
  it('maps tool results back to the tool that was called', () => {
    const c = parseChatRequest({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'fetch_url', arguments: '{"url":"x"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: [{ type: 'text', text: 'page' }] },
      ],
      tools: [{ type: 'function', function: { name: 'fetch_url', parameters: {} } }],
    });
    expect(c.turns[2]).toEqual({ role: 'tool', text: 'page', toolCallId: 'c1', toolName: 'fetch_url' });
    expect(c.toolNames).toEqual(['fetch_url']);
  });

  it('streams a tool call as deltas whose argument pieces join back to the arguments', () => {
    const chunks = chatCompletionChunks('id', 1, 'm', reply, null);
    expect(chunks.at(-1)).toBe('[DONE]');
    const deltas = chunks.slice(0, -1).map((c) => JSON.parse(c).choices[0]);
    const args = deltas.flatMap((d) => d.delta.tool_calls ?? []).map((t: { function: { arguments: string } }) => t.function.arguments).join('');
    expect(JSON.parse(args)).toEqual(reply.toolCalls[0]!.arguments);
    expect(deltas.at(-1).finish_reason).toBe('tool_calls');
  });

  it('rejects a request without messages with a clear error', () => {
    expect(() => parseChatRequest({ model: 'm', messages: [] })).toThrow(/'messages' must be a non-empty array/);
  });
});

describe('Anthropic wire format', () => {
  it('reads tool_result blocks as tool turns', () => {
    const c = parseMessagesRequest({
      model: 'claude', system: 'be brief',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'get_weather', input: { city: 'Oslo' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'cold' }] }] },
      ],
    });
    expect(c.turns.map((t) => t.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(c.turns[3]).toMatchObject({ text: 'cold', toolName: 'get_weather' });
  });

  it('streams tool input as input_json_delta pieces between start and stop events', () => {
    const events = messageEvents('msg', 'claude', reply, 10, 5);
    expect(events.map(([name]) => name)).toEqual(expect.arrayContaining(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']));
    const json = events.filter(([n]) => n === 'content_block_delta').map(([, d]) => JSON.parse(d).delta.partial_json).join('');
    expect(JSON.parse(json)).toEqual(reply.toolCalls[0]!.arguments);
  });
});
