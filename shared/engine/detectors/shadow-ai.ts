// Shadow AI: an agent, model server or MCP server running in a pod whose owners never declared an AI role (the
// inventory's annotations), seen from the collector's classification or from LLM API traffic. Needs an inventory.
import { entityId, ref, workloadRef } from '../entity-ids.js';
import { techniques } from '../techniques.js';
import type { SignalDraft } from '../signal-store.js';
import { baseKeys, where, type Detector, type DetectorContext } from './detector.js';

const ROLE_WORDS: Record<string, string> = {
  agent: 'an AI agent',
  'inference-server': 'a model server',
  'mcp-server': 'an MCP server',
  tool: 'an AI tool',
};

/** How the collector words a reason that rests only on an installed package (native-bpf-collector/internal/classify). */
const INSTALLED_ONLY = 'has ';

export class ShadowAiDetector implements Detector {
  readonly name = 'shadow-ai';
  readonly kinds = ['workload.classified', 'llm.request'] as const;

  onEvent(ctx: DetectorContext, emit: (draft: SignalDraft) => void): void {
    const e = ctx.o.event;
    if (!ctx.o.pod || !ctx.o.workload || !ctx.inventory.hasObjects) return;
    if (e.kind !== 'workload.classified' && e.kind !== 'llm.request') return;
    // A 'tool' is a subprocess an agent started: the agent itself is what is (un)declared.
    if (e.kind === 'workload.classified' && e.details.role === 'tool') return;
    const pod = ctx.inventory.pod(ctx.o.pod);
    if (!pod || pod.declaredAiRole) return;
    const workload = ctx.o.workload;
    const role = e.kind === 'workload.classified' ? e.details.role : 'agent';
    const keys = [...baseKeys(ctx), `workload:${workload}`];
    let detail: string;
    const entities = [workloadRef(workload)];
    if (e.kind === 'llm.request') {
      const target = ctx.names.workloadForHost(e.details.host);
      if (target) keys.push(`workload:${target}`);
      detail = `called the LLM API at ${e.details.host} (model ${e.details.model})`;
      entities.push(ref('api', entityId.api(e.details.host), e.details.host), ref('data', entityId.model(e.details.model), e.details.model));
    } else {
      const frameworks = e.details.frameworks.map((f) => (f.version ? `${f.name} ${f.version}` : f.name)).join(', ');
      detail = `runs ${ROLE_WORDS[role]}${frameworks ? ` (${frameworks})` : ''}`;
    }
    entities.push(ref(role === 'agent' ? 'agent' : 'tool', role === 'agent' ? entityId.agent(workload) : entityId.mcpServer(workload), `${workload} ${role}`));
    // Packages present in the image but never seen loaded or used (the collector's reasons all read "has ...") are a
    // lead for a review, not an incident: images often carry SDKs pulled in by some dependency.
    const installedOnly = e.kind === 'workload.classified' && e.details.reasons.length > 0 && e.details.reasons.every((r) => r.startsWith(INSTALLED_ONLY));
    if (installedOnly) detail += ', judged only from packages installed in its image';
    emit({
      detector: 'shadow-ai',
      rule: role === 'agent' ? 'undeclared-agent' : 'undeclared-ai-service',
      dedupeKey: `${workload}|${role}|${e.kind}`,
      severity: installedOnly ? 'low' : 'medium',
      confidence: installedOnly ? 0.4 : e.kind === 'workload.classified' ? 0.8 : 0.9,
      time: e.time,
      workload,
      pod: ctx.o.pod,
      techniques: e.kind === 'llm.request' ? techniques('llmDataLeakage', 'llmSensitiveDisclosure', 'llmSupplyChain', 'agentSupplyChain') : techniques('llmSupplyChain', 'agentSupplyChain'),
      summary: `${where(ctx)}, which nobody declared as AI, ${detail}`,
      explanation: `The pod carries no declared AI role, yet ${e.kind === 'llm.request' ? 'it sends prompts to an LLM API' : `the collector classified it as ${ROLE_WORDS[role]}`}: AI nobody reviewed handles data nobody approved for it.`,
      eventIds: [e.id],
      entities,
      correlationKeys: keys,
    });
  }
}
