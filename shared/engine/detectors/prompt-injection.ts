// Prompt injection: instructions arriving in tool results or retrieved content, followed within a short time by a
// tool call the task does not explain (a tool or target never used in the baseline, a shell-like tool, or a target
// named by the injected text). Content alone is not enough: documents may legitimately contain imperative text.
import type { EventOfKind } from '../../model/event.js';
import { toolCallTargets } from '../behaviour-features.js';
import { entityId, ref, workloadRef } from '../entity-ids.js';
import { techniques } from '../techniques.js';
import { baseKeys, quote, where, type Detector, type DetectorContext } from './detector.js';
import type { SignalDraft } from '../signal-store.js';

const INJECTION_PATTERNS: RegExp[] = [
  /ignore (?:all |any )?(?:of )?(?:the |your )?(?:previous|prior|above|earlier) (?:instructions|directions|rules)/i,
  /disregard (?:all |the |your )?(?:previous|prior|above) /i,
  /\byou (?:must|should) now\b/i,
  /\bnew instructions?\s*:/i,
  /\b(?:reveal|print|show) (?:your|the) system prompt/i,
  /\b(?:run|execute) (?:the following|this) (?:command|shell|script)/i,
  /\bsend (?:it|them|this|the [\w\s-]{1,40}) to https?:\/\//i,
  /<!--[\s\S]{0,2000}?\b(?:assistant|instruction|AI agent|tool)\b[\s\S]{0,2000}?-->/i,
];

const SHELL_LIKE_TOOLS = /^(?:run_shell|shell|bash|exec|execute|execute_command|run_command|terminal|system)$/i;
const FOLLOW_UP_WINDOW_MS = 5 * 60_000;

interface PendingInjection {
  timeMs: number;
  eventId: string;
  excerpt: string;
  hosts: Set<string>;
}

export function findInjection(text: string): string | null {
  for (const pattern of INJECTION_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return match[0];
  }
  return null;
}

/** Retrieved content repeats (the same document, the same tool output): each distinct text is scanned once. */
const scanned = new Map<string, string | null>();
const MAX_SCANNED = 5_000;

function findInjectionOnce(text: string): string | null {
  let excerpt = scanned.get(text);
  if (excerpt === undefined) {
    excerpt = findInjection(text);
    if (scanned.size >= MAX_SCANNED) scanned.clear();
    scanned.set(text, excerpt);
  }
  return excerpt;
}

export class PromptInjectionDetector implements Detector {
  readonly name = 'prompt-injection';
  readonly kinds = ['llm.request', 'llm.response'] as const;
  private readonly pendingByPod = new Map<string, PendingInjection>();

  onEvent(ctx: DetectorContext, emit: (draft: SignalDraft) => void): void {
    const e = ctx.o.event;
    if (!ctx.o.pod) return;
    if (e.kind === 'llm.request') this.scanRequest(ctx, e);
    else if (e.kind === 'llm.response') this.checkResponse(ctx, e, emit);
  }

  private scanRequest(ctx: DetectorContext, e: EventOfKind<'llm.request'>): void {
    // Tool results first, then tool and function messages: the first content carrying instructions is the one kept.
    for (const result of e.details.toolResults) if (this.pendIfInjected(ctx, e, result.content)) return;
    for (const message of e.details.messages) {
      if ((message.role === 'tool' || message.role === 'function') && this.pendIfInjected(ctx, e, message.content)) return;
    }
  }

  private pendIfInjected(ctx: DetectorContext, e: EventOfKind<'llm.request'>, content: string): boolean {
    const excerpt = findInjectionOnce(content);
    if (!excerpt) return false;
    this.pendingByPod.set(ctx.o.pod!, { timeMs: ctx.o.timeMs, eventId: e.id, excerpt, hosts: new Set(toolCallTargets(content).hosts) });
    return true;
  }

  private checkResponse(ctx: DetectorContext, e: EventOfKind<'llm.response'>, emit: (draft: SignalDraft) => void): void {
    const pending = this.pendingByPod.get(ctx.o.pod!);
    if (!pending) return;
    // Only the model's next answer is the follow-up: after it, the injected content is no longer pending.
    this.pendingByPod.delete(ctx.o.pod!);
    if (ctx.o.timeMs - pending.timeMs > FOLLOW_UP_WINDOW_MS) return;
    for (const call of e.details.toolCalls) {
      const targets = toolCallTargets(call.arguments);
      const reasons: string[] = [];
      if (SHELL_LIKE_TOOLS.test(call.name)) reasons.push(`\`${call.name}\` runs arbitrary commands`);
      if (ctx.ready && ctx.profile && !ctx.profile.has('tools', call.name)) reasons.push(`the agent never called \`${call.name}\` during its baseline`);
      const injectedHosts = targets.hosts.filter((h) => pending.hosts.has(h));
      if (injectedHosts.length > 0) reasons.push(`its arguments name ${injectedHosts.join(', ')}, which the injected text named`);
      if (ctx.ready && ctx.profile) {
        const newHosts = targets.hosts.filter((h) => !ctx.profile!.has('toolHosts', `${call.name}|${h}`) && !injectedHosts.includes(h));
        if (newHosts.length > 0) reasons.push(`its arguments name hosts never used by this tool: ${newHosts.join(', ')}`);
      }
      if (reasons.length === 0) continue;
      const workload = ctx.o.workload;
      emit({
        detector: 'prompt-injection',
        rule: 'injected-instructions-followed',
        dedupeKey: `${ctx.o.pod}|${pending.eventId}`,
        severity: 'high',
        confidence: reasons.length > 1 ? 0.9 : 0.75,
        time: e.time,
        workload,
        pod: ctx.o.pod,
        techniques: techniques('indirectInjection', 'pluginCompromise', 'llmPromptInjection', 'llmExcessiveAgency', 'agentGoalHijack', 'agentToolMisuse'),
        summary: `the agent in ${where(ctx)} received content carrying instructions ("${quote(pending.excerpt, 60)}") and the LLM then asked for tool \`${call.name}\` with ${quote(call.arguments, 100)}`,
        explanation: `A tool result or retrieved document sent to the model contained instruction-like text, and the model's next answer asked for a tool call the task does not explain: ${reasons.join('; ')}.`,
        eventIds: [pending.eventId, e.id],
        entities: [
          ...(workload ? [workloadRef(workload), ref('agent', entityId.agent(workload), `${workload} agent`), ref('tool', entityId.tool(workload, call.name), call.name)] : []),
          ref('api', entityId.api(e.details.host), e.details.host),
        ],
        correlationKeys: [...baseKeys(ctx), ...targets.hosts.map((h) => `data:egress:${h}`)],
      });
      return;
    }
  }
}
