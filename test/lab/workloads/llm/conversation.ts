// The provider-neutral view of a chat request that the script engine reasons about. Both wire formats
// (OpenAI chat completions and Anthropic messages) are normalized into this before any rule looks at them.

export interface ToolCall {
  id: string;
  name: string;
  /** Parsed arguments object. */
  arguments: Record<string, unknown>;
}

export type Turn =
  | { role: 'system' | 'user'; text: string }
  | { role: 'assistant'; text: string; toolCalls: ToolCall[] }
  | { role: 'tool'; text: string; toolCallId: string; toolName: string };

export interface Conversation {
  model: string;
  turns: Turn[];
  /** Names of the tools the client offered in this request. */
  toolNames: string[];
}

/** What the scripted model says back: text, tool calls, or both. */
export interface ScriptedReply {
  text: string;
  toolCalls: ToolCall[];
  /** The rule that produced the reply (logged by the endpoint, handy in tests). */
  rule: string;
}

/** Finds the tool name an earlier assistant turn used for a tool call id. */
export function toolNameForCall(turns: Turn[], toolCallId: string): string {
  for (const turn of turns) {
    if (turn.role !== 'assistant') continue;
    const call = turn.toolCalls.find((c) => c.id === toolCallId);
    if (call) return call.name;
  }
  return 'unknown';
}
