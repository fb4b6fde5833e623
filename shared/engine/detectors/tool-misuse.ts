// Tool misuse: a tool the agent uses normally, called with arguments outside its baseline (file paths outside the
// roots it works in, hosts it never reached), or an MCP server opening files outside the roots it serves.
import { pathRoot, toolCallTargets } from '../behaviour-features.js';
import type { WorkloadProfile } from '../baseline-learner.js';
import { entityId, fileRef, ref, workloadRef } from '../entity-ids.js';
import { techniques } from '../techniques.js';
import type { SignalDraft } from '../signal-store.js';
import { baseKeys, where, type Detector, type DetectorContext } from './detector.js';

const SENSITIVE_PATH = /^\/(?:etc\/(?:shadow|gshadow|sudoers)|root\/|home\/[^/]+\/\.(?:ssh|aws|kube|config\/gcloud)|var\/run\/secrets\/)|^(?:\.\.\/)+|\/\.ssh\//;

export class ToolMisuseDetector implements Detector {
  readonly name = 'tool-misuse';
  readonly kinds = ['llm.response', 'file.open'] as const;
  /** Per signal key, the targets reported so far (the summary lists them all). */
  private readonly reported = new Map<string, Set<string>>();
  private readonly servedRoots = new Map<WorkloadProfile, Set<string>>();

  onEvent(ctx: DetectorContext, emit: (draft: SignalDraft) => void): void {
    const e = ctx.o.event;
    if (!ctx.ready || !ctx.profile || !ctx.o.workload) return;
    if (e.kind === 'llm.response') {
      for (const call of e.details.toolCalls) {
        if (!ctx.profile.has('tools', call.name)) continue;
        const targets = toolCallTargets(call.arguments);
        const paths = targets.paths.filter((p) => !ctx.profile!.has('toolPaths', `${call.name}|${pathRoot(p)}`));
        const hosts = targets.hosts.filter((h) => !ctx.profile!.has('toolHosts', `${call.name}|${h}`));
        if (paths.length === 0 && hosts.length === 0) continue;
        const key = `${ctx.o.workload}|${call.name}`;
        const all = this.remember(key, [...paths, ...hosts]);
        const sensitive = paths.some((p) => SENSITIVE_PATH.test(p));
        const workload = ctx.o.workload;
        emit({
          detector: 'tool-misuse',
          rule: 'arguments-outside-baseline',
          dedupeKey: key,
          replaceText: true,
          severity: sensitive ? 'high' : 'medium',
          confidence: 0.8,
          time: e.time,
          workload,
          pod: ctx.o.pod,
          techniques: paths.length > 0 ? techniques('fileDiscovery', 'pluginCompromise', 'llmExcessiveAgency', 'agentToolMisuse') : techniques('pluginCompromise', 'llmExcessiveAgency', 'agentToolMisuse'),
          summary: `the agent in ${where(ctx)} was told by the LLM to call tool \`${call.name}\` on ${all.join(', ')}, outside everything that tool touched during the baseline`,
          explanation: `During its learning window the tool \`${call.name}\` only worked under known roots and hosts; these arguments reach outside them${sensitive ? ', including credential or system files' : ''}.`,
          eventIds: [e.id],
          entities: [workloadRef(workload), ref('agent', entityId.agent(workload), `${workload} agent`), ref('tool', entityId.tool(workload, call.name), call.name), ...paths.map(fileRef), ...hosts.map((h) => ref('api', entityId.api(h), h))],
          correlationKeys: [...baseKeys(ctx), ...paths.map((p) => `data:file:${p}`), ...hosts.map((h) => `data:egress:${h}`)],
        });
      }
      return;
    }
    if (e.kind === 'file.open' && ctx.names.roleOf(ctx.o.workload) === 'mcp-server' && e.details.category === 'other') {
      const roots = this.rootsServedBy(ctx.profile);
      const root = pathRoot(e.details.path);
      if (roots.has(root)) return;
      const key = `${ctx.o.workload}|outside-root`;
      const all = this.remember(key, [e.details.path]);
      emit({
        detector: 'tool-misuse',
        rule: 'mcp-server-outside-root',
        dedupeKey: key,
        replaceText: true,
        severity: 'medium',
        confidence: 0.7,
        time: e.time,
        workload: ctx.o.workload,
        pod: ctx.o.pod,
        techniques: techniques('fileDiscovery', 'llmExcessiveAgency', 'agentToolMisuse'),
        summary: `the MCP server in ${where(ctx)} opened ${all.join(', ')}, outside the roots it served during the baseline (${[...roots].sort().join(', ') || 'none'})`,
        explanation: 'An MCP file server normally stays inside the directories it serves; opening files elsewhere means a tool call reached outside its intended scope.',
        eventIds: [e.id],
        entities: [workloadRef(ctx.o.workload), ref('tool', entityId.mcpServer(ctx.o.workload), `${ctx.o.workload} MCP server`), fileRef(e.details.path)],
        correlationKeys: [...baseKeys(ctx), `data:file:${e.details.path}`],
      });
    }
  }

  private remember(key: string, targets: string[]): string[] {
    let set = this.reported.get(key);
    if (!set) this.reported.set(key, (set = new Set()));
    for (const t of targets) set.add(t);
    return [...set];
  }

  private rootsServedBy(profile: WorkloadProfile): Set<string> {
    let roots = this.servedRoots.get(profile);
    if (!roots) {
      roots = new Set([...profile.features.get('files')!].map(pathRoot));
      this.servedRoots.set(profile, roots);
    }
    return roots;
  }
}
