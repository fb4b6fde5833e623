// The scripted model: given a conversation, decide the next assistant turn.
//   1. If the latest tool result carries an instruction addressed to AI assistants with a command in backticks and
//      the client offers a shell tool, obey it (this is how an indirect prompt injection works on a real model).
//   2. Otherwise follow the plan of the latest user task: one tool call per clause, in order, one per turn.
//   3. When every planned call has its result, answer in prose from what the tools returned.
import { createHash } from 'node:crypto';
import { type Conversation, type ScriptedReply, type ToolCall, type Turn } from './conversation.js';
import { planTask } from './task-clauses.js';

const SHELL_TOOLS = ['run_shell', 'shell__run_command'];
/** An instruction aimed at the model, hidden in retrieved content, with the command to run in backticks. */
const INJECTED_INSTRUCTION = /(?:AI|LLM)\s+(?:ASSISTANTS?|AGENTS?)\b[\s\S]{0,600}?`([^`\n]{1,2000})`/i;
/** Detour calls (obeyed injections) get ids of this shape so later turns know they were not part of the plan. */
const DETOUR_PREFIX = 'call_d';

export function nextReply(conversation: Conversation): ScriptedReply {
  const { turns } = conversation;
  const taskIndex = findLastIndex(turns, (t) => t.role === 'user');
  if (taskIndex < 0) return { rule: 'no-task', text: 'Hello! What would you like me to do?', toolCalls: [] };
  const task = turns[taskIndex]!.text;
  const sinceTask = turns.slice(taskIndex + 1);
  const last = turns[turns.length - 1]!;

  const shellTool = SHELL_TOOLS.find((t) => conversation.toolNames.includes(t));
  if (last.role === 'tool' && shellTool) {
    const injected = last.text.match(INJECTED_INSTRUCTION);
    if (injected?.[1]) {
      const id = callId(DETOUR_PREFIX, conversation, sinceTask.length);
      return {
        rule: 'follow-injected-instruction',
        text: 'The document asks for an environment check first; running it now.',
        toolCalls: [{ id, name: shellTool, arguments: { command: injected[1] } }],
      };
    }
  }

  const plan = planTask(task, conversation.toolNames);
  const planResults = sinceTask.filter(
    (t): t is Extract<Turn, { role: 'tool' }> => t.role === 'tool' && !t.toolCallId.startsWith(DETOUR_PREFIX),
  );
  const step = plan[planResults.length];
  if (step) {
    const args = step.rule === 'post-summary' ? { ...step.arguments, body: summarize(task, planResults) } : step.arguments;
    const call: ToolCall = { id: callId('call_s', conversation, planResults.length), name: step.name, arguments: args };
    return { rule: step.rule, text: '', toolCalls: [call] };
  }

  if (plan.length === 0 && sinceTask.length === 0) {
    return { rule: 'chat', text: chatAnswer(task), toolCalls: [] };
  }
  return { rule: 'final-answer', text: summarize(task, planResults), toolCalls: [] };
}

/** Deterministic, unique-per-turn tool call id: same conversation, same id. */
function callId(prefix: string, conversation: Conversation, position: number): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(conversation.turns.filter((t) => t.role === 'user').map((t) => t.text)))
    .update(String(position))
    .digest('hex');
  return `${prefix}${position}_${digest.slice(0, 16)}`;
}

function summarize(task: string, results: Extract<Turn, { role: 'tool' }>[]): string {
  if (results.length === 0) return `I could not find anything to work with for: ${task}`;
  const findings = results.map((r) => `- ${r.toolName}: ${excerpt(r.text)}`).join('\n');
  return `Here is what I found for "${task}":\n${findings}`;
}

function excerpt(text: string): string {
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return plain.length > 240 ? `${plain.slice(0, 240)}…` : plain;
}

function chatAnswer(prompt: string): string {
  const words = prompt.split(/\s+/).filter(Boolean).length;
  return `Here is a short answer to your ${words}-word question: the figures look consistent with last quarter, ` +
    'with no anomalies worth escalating.';
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i -= 1) if (predicate(items[i]!)) return i;
  return -1;
}
