// What AI is in use, gathered as events stream: models, LLM and external APIs, frameworks and SDKs loaded, agents,
// MCP servers and tools. The AI-BOM is rendered from this ledger on demand.
import type { Observation } from './observation.js';
import { memoized } from './memo.js';

export interface Sighting {
  workloads: Set<string>;
  firstSeen: string;
  lastSeen: string;
  count: number;
  /** The first few events that showed it. */
  eventIds: string[];
}

export interface ApiSighting extends Sighting {
  host: string;
  kind: 'llm' | 'external';
  provider: string;
  methods: Set<string>;
  bytesSent: number;
}

export interface FrameworkSighting extends Sighting {
  name: string;
  version: string | null;
}

export interface ToolSighting extends Sighting {
  name: string;
  description: string | null;
  calls: number;
}

const EVIDENCE_IDS = 5;
const IN_CLUSTER_HOST = /(?:\.svc(?:\.[a-z0-9.-]+)?|\.cluster\.local|^kubernetes(?:\.default)?)$/i;
/** An HTTP Host header without port in lower case, or null for in-cluster names and bare IPv4 addresses. */
const externalHttpHost = memoized((raw): string | null => {
  const host = raw.toLowerCase().replace(/:\d+$/, '');
  return IN_CLUSTER_HOST.test(host) || /^\d+\.\d+\.\d+\.\d+$/.test(host) ? null : host;
});

function touch<T extends Sighting>(map: Map<string, T>, key: string, o: Observation, create: () => Omit<T, keyof Sighting>): T {
  let s = map.get(key);
  if (!s) {
    s = { ...(create() as object), workloads: new Set(), firstSeen: o.event.time, lastSeen: o.event.time, count: 0, eventIds: [] } as unknown as T;
    map.set(key, s);
  }
  return seen(s, o);
}

/** Counts one more sighting of something already known (the hot path: no allocation). */
function seen<T extends Sighting>(s: T, o: Observation): T {
  s.count++;
  if (o.event.time > s.lastSeen) s.lastSeen = o.event.time;
  if (o.workload) s.workloads.add(o.workload);
  if (s.eventIds.length < EVIDENCE_IDS) s.eventIds.push(o.event.id);
  return s;
}

export class AiUsageLedger {
  readonly models = new Map<string, Sighting & { name: string; servedBy: Set<string>; hosts: Set<string> }>();
  readonly apis = new Map<string, ApiSighting>();
  readonly frameworks = new Map<string, FrameworkSighting>();
  readonly agents = new Map<string, Sighting & { role: string }>();
  /** Tools by `workload|name`. */
  readonly tools = new Map<string, ToolSighting & { workload: string }>();
  /** The same tool sightings by workload then name, so the hot path builds no key strings. */
  private readonly toolsByWorkload = new Map<string, Map<string, ToolSighting & { workload: string }>>();

  observe(o: Observation): void {
    const e = o.event;
    switch (e.kind) {
      case 'llm.request':
      case 'llm.response': {
        const d = e.details;
        const host = d.host.toLowerCase();
        if (d.model) {
          const known = this.models.get(d.model);
          const model = known ? seen(known, o) : touch(this.models, d.model, o, () => ({ name: d.model, servedBy: new Set<string>(), hosts: new Set<string>() }));
          model.hosts.add(host);
        }
        const knownApi = this.apis.get(host);
        const api = knownApi ? seen(knownApi, o) : touch(this.apis, host, o, () => ({ host, kind: 'llm' as const, provider: d.provider, methods: new Set<string>(), bytesSent: 0 }));
        api.kind = 'llm';
        if (o.workload) {
          const agent = this.agents.get(o.workload);
          if (agent) seen(agent, o);
          else touch(this.agents, o.workload, o, () => ({ role: 'agent' }));
        }
        if (e.kind === 'llm.request' && o.workload) {
          let byName = this.toolsByWorkload.get(o.workload);
          if (!byName) this.toolsByWorkload.set(o.workload, (byName = new Map()));
          for (const tool of e.details.tools) {
            const known = byName.get(tool.name);
            if (known) {
              seen(known, o);
              if (!known.description && tool.description) known.description = tool.description;
              continue;
            }
            const sighting = touch(this.tools, `${o.workload}|${tool.name}`, o, () => ({ name: tool.name, description: tool.description ?? null, calls: 0, workload: o.workload! }));
            byName.set(tool.name, sighting);
          }
        }
        if (e.kind === 'llm.response' && o.workload) {
          // The index holds only sightings also in `tools` under the same key: a hit is the same object.
          const byName = this.toolsByWorkload.get(o.workload);
          for (const call of e.details.toolCalls) {
            const known = byName?.get(call.name);
            if (known) seen(known, o).calls++;
            else touch(this.tools, `${o.workload}|${call.name}`, o, () => ({ name: call.name, description: null, calls: 0, workload: o.workload! })).calls++;
          }
        }
        break;
      }
      case 'http.request': {
        const host = externalHttpHost(e.details.host);
        if (host === null) break;
        const known = this.apis.get(host);
        const api = known ? seen(known, o) : touch(this.apis, host, o, () => ({ host, kind: 'external' as const, provider: 'unknown', methods: new Set<string>(), bytesSent: 0 }));
        api.methods.add(e.details.method);
        api.bytesSent += e.details.bytes ?? 0;
        break;
      }
      case 'workload.classified': {
        if (!o.workload) break;
        touch(this.agents, o.workload, o, () => ({ role: e.details.role })).role = e.details.role;
        for (const f of e.details.frameworks) {
          touch(this.frameworks, `${f.name}@${f.version ?? ''}`, o, () => ({ name: f.name, version: f.version ?? null }));
        }
        break;
      }
      case 'file.open': {
        if (e.details.category !== 'model' || !o.workload) break;
        const name = e.details.path.split('/').filter(Boolean).slice(-2).join('/');
        touch(this.models, name, o, () => ({ name, servedBy: new Set<string>(), hosts: new Set<string>() })).servedBy.add(o.workload);
        break;
      }
      default:
        break;
    }
  }
}
