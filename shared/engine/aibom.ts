// The runtime AI-BOM as CycloneDX 1.6 JSON: models (machine-learning-model components), AI frameworks and SDKs
// (libraries, with versions where read), agents and MCP servers (applications), LLM and external APIs and tools
// (services, with data flows). Lifecycle phase "operations"; every identity carries "instrumentation" evidence,
// because it was observed at runtime rather than declared. Deterministic: the serial number is derived from content.
import type { AiUsageLedger, Sighting } from './ai-usage-ledger.js';
import { stableUuid } from './stable-hash.js';

export interface CycloneDxBom {
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: number;
  metadata: Record<string, unknown>;
  components: Record<string, unknown>[];
  services: Record<string, unknown>[];
  dependencies: { ref: string; dependsOn: string[] }[];
}

export interface AiBomOptions {
  toolVersion: string;
  /** Time of the newest event covered (the BOM's timestamp, so output never depends on the clock). */
  asOf: string | null;
}

function evidence(technique: string, how: string, s: Sighting, field = 'name') {
  return {
    identity: [{ field, confidence: 1, methods: [{ technique, confidence: 1, value: how }] }],
    occurrences: [...s.workloads].sort().map((w) => ({ location: `kubernetes:workload/${w}` })),
  };
}

function seenProperties(s: Sighting): { name: string; value: string }[] {
  return [
    { name: 'vigil:first-seen', value: s.firstSeen },
    { name: 'vigil:last-seen', value: s.lastSeen },
    { name: 'vigil:observations', value: String(s.count) },
    { name: 'vigil:evidence-event-ids', value: s.eventIds.join(',') },
    ...[...s.workloads].sort().map((w) => ({ name: 'vigil:workload', value: w })),
  ];
}

const byRef = (a: Record<string, unknown>, b: Record<string, unknown>) => (String(a['bom-ref']) < String(b['bom-ref']) ? -1 : 1);

export function buildAiBom(ledger: AiUsageLedger, options: AiBomOptions): CycloneDxBom {
  const components: Record<string, unknown>[] = [];
  const services: Record<string, unknown>[] = [];
  const dependsOn = new Map<string, Set<string>>();
  const depend = (from: string, to: string) => {
    if (!dependsOn.has(from)) dependsOn.set(from, new Set());
    dependsOn.get(from)!.add(to);
  };

  for (const [name, model] of ledger.models) {
    const ref = `model:${name}`;
    components.push({
      type: 'machine-learning-model',
      'bom-ref': ref,
      name,
      description: model.servedBy.size > 0 ? `Model loaded by ${[...model.servedBy].sort().join(', ')}` : `Model named in LLM requests to ${[...model.hosts].sort().join(', ')}`,
      evidence: evidence('instrumentation', model.servedBy.size > 0 ? 'model file opened by an inference server (eBPF file probe)' : 'model field of LLM API traffic (TLS uprobe)', model),
      properties: seenProperties(model),
    });
  }
  for (const framework of ledger.frameworks.values()) {
    const ref = `framework:${framework.name}@${framework.version ?? 'unknown'}`;
    const component: Record<string, unknown> = {
      type: 'library',
      'bom-ref': ref,
      name: framework.name,
      evidence: evidence('instrumentation', 'library seen loaded in the process (collector classification)', framework),
      properties: seenProperties(framework),
    };
    if (framework.version) component['version'] = framework.version;
    components.push(component);
  }
  for (const [workload, agent] of ledger.agents) {
    const ref = `${agent.role}:${workload}`;
    components.push({
      type: 'application',
      'bom-ref': ref,
      name: workload,
      description: agent.role === 'mcp-server' ? 'MCP server' : agent.role === 'inference-server' ? 'Model inference server' : 'AI agent',
      evidence: evidence('instrumentation', 'runtime classification and LLM API traffic', agent),
      properties: [{ name: 'vigil:ai-role', value: agent.role }, ...seenProperties(agent)],
    });
    for (const framework of ledger.frameworks.values()) if (framework.workloads.has(workload)) depend(ref, `framework:${framework.name}@${framework.version ?? 'unknown'}`);
    for (const [name, model] of ledger.models) if (model.workloads.has(workload)) depend(ref, `model:${name}`);
    for (const api of ledger.apis.values()) if (api.workloads.has(workload)) depend(ref, `service:${api.host}`);
    for (const tool of ledger.tools.values()) if (tool.workload === workload) depend(ref, `tool:${workload}|${tool.name}`);
  }
  for (const api of ledger.apis.values()) {
    services.push({
      'bom-ref': `service:${api.host}`,
      name: api.host,
      description: api.kind === 'llm' ? `LLM API (${api.provider})` : 'External API called by AI workloads',
      endpoints: [`https://${api.host}`],
      'x-trust-boundary': true,
      data: api.kind === 'llm'
        ? [{ flow: 'outbound', classification: 'prompts and tool results' }, { flow: 'inbound', classification: 'model completions and tool calls' }]
        : [{ flow: api.methods.has('POST') || api.methods.has('PUT') ? 'bi-directional' : 'inbound', classification: 'application data' }],
      properties: [{ name: 'vigil:api-kind', value: api.kind }, { name: 'vigil:bytes-sent', value: String(api.bytesSent) }, ...seenProperties(api)],
    });
  }
  for (const tool of ledger.tools.values()) {
    const service: Record<string, unknown> = {
      'bom-ref': `tool:${tool.workload}|${tool.name}`,
      name: tool.name,
      group: tool.workload,
      data: [{ flow: 'bi-directional', classification: 'tool arguments and results' }],
      properties: [{ name: 'vigil:ai-role', value: 'tool' }, { name: 'vigil:tool-calls', value: String(tool.calls) }, ...seenProperties(tool)],
    };
    if (tool.description) service['description'] = tool.description;
    services.push(service);
  }

  components.sort(byRef);
  services.sort(byRef);
  const dependencies = [...dependsOn.entries()].map(([ref, deps]) => ({ ref, dependsOn: [...deps].sort() })).sort((a, b) => (a.ref < b.ref ? -1 : 1));
  const body = { components, services, dependencies };
  const metadata: Record<string, unknown> = {
    lifecycles: [{ phase: 'operations' }],
    tools: { components: [{ type: 'application', name: 'vigil', version: options.toolVersion, description: 'Vigil runtime analysis engine' }] },
    properties: [{ name: 'vigil:source', value: 'runtime observation (eBPF collector, TLS uprobes, Kubernetes audit)' }],
  };
  if (options.asOf) metadata['timestamp'] = options.asOf;
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${stableUuid(JSON.stringify(body) + (options.asOf ?? ''))}`,
    version: 1,
    metadata,
    ...body,
  };
}
