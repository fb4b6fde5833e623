// Exfiltration: data sent to an external destination the workload never reached during its baseline (volume over a
// threshold, by HTTP body or by bytes on the connection), and DNS tunnelling shapes (long, high-entropy labels or
// many unique subdomains of one domain). LLM API calls are left to shadow-AI and prompt-injection detection.
import { entityId, processRef, ref, workloadRef } from '../entity-ids.js';
import { techniques } from '../techniques.js';
import { connectFeatures } from '../behaviour-features.js';
import type { SignalDraft } from '../signal-store.js';
import { baseKeys, where, type Detector, type DetectorContext } from './detector.js';

/** Bytes sent to a new destination before it counts as exfiltration, by HTTP body and by connection. */
export const EXFIL_HTTP_BYTES = 1024;
export const EXFIL_CONNECTION_BYTES = 4096;
const TUNNEL_LABEL_LENGTH = 40;
const TUNNEL_UNIQUE_SUBDOMAINS = 20;
const TUNNEL_WINDOW_MS = 60_000;

function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function registeredDomain(name: string): string {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const last = trimmed.lastIndexOf('.');
  const secondLast = last > 0 ? trimmed.lastIndexOf('.', last - 1) : -1;
  return secondLast === -1 ? trimmed : trimmed.slice(secondLast + 1);
}

interface QueryName {
  name: string;
  firstLabel: string;
  domain: string;
}

/** Lookups repeat (the same API host every few seconds): each distinct query name is taken apart once. */
const parsedNames = new Map<string, QueryName | null>();

/** The query name in lower case, its first label and registered domain; null for in-cluster names. */
function parseQueryName(queryName: string): QueryName | null {
  let parsed = parsedNames.get(queryName);
  if (parsed === undefined) {
    const name = queryName.toLowerCase();
    if (name.endsWith('.cluster.local') || name.endsWith('.cluster.local.')) parsed = null;
    else {
      const dot = name.indexOf('.');
      parsed = { name, firstLabel: dot === -1 ? name : name.slice(0, dot), domain: registeredDomain(name) };
    }
    if (parsedNames.size >= 10_000) parsedNames.clear();
    parsedNames.set(queryName, parsed);
  }
  return parsed;
}

export class ExfiltrationDetector implements Detector {
  readonly name = 'exfiltration';
  readonly kinds = ['dns.query', 'net.connect', 'net.close', 'http.request'] as const;
  private readonly connectIds = new Map<string, string[]>();
  /** Per pod, per registered domain: the names asked within the current tunnelling window. */
  private readonly subdomains = new Map<string, Map<string, { startMs: number; names: Set<string>; eventIds: string[] }>>();

  onEvent(ctx: DetectorContext, emit: (draft: SignalDraft) => void): void {
    const e = ctx.o.event;
    if (!ctx.o.pod || !ctx.o.workload) return;
    if (e.kind === 'dns.query') {
      this.onDns(ctx, e.details.queryName, e.id, emit);
      return;
    }
    if (!ctx.ready || !ctx.profile) return;
    if (e.kind === 'net.connect') {
      if (this.isExternal(ctx, e.details.dstIp) && this.isNew(ctx, e.details.protocol, e.details.dstIp, e.details.dnsName, e.details.dstPort)) {
        const key = `${ctx.o.pod}|${e.details.dstIp}:${e.details.dstPort}`;
        this.connectIds.set(key, [...(this.connectIds.get(key) ?? []), e.id].slice(-4));
      }
      return;
    }
    if (e.kind === 'net.close') {
      const d = e.details;
      if (d.bytesSent < EXFIL_CONNECTION_BYTES || !this.isExternal(ctx, d.dstIp)) return;
      if (!this.isNew(ctx, d.protocol, d.dstIp, d.dnsName, d.dstPort)) return;
      const host = d.dnsName ?? ctx.names.dnsNameOf(d.dstIp) ?? d.dstIp;
      if (ctx.names.isLlmHost(ctx.o.pod, host) || ctx.names.isLlmHost(ctx.o.pod, d.dstIp)) return;
      const key = `${ctx.o.pod}|${d.dstIp}:${d.dstPort}`;
      const connects = this.connectIds.get(key) ?? [];
      this.connectIds.delete(key);
      this.raise(ctx, emit, host, d.dstPort, d.bytesSent, `${d.bytesSent} bytes over a ${d.protocol.toUpperCase()} connection to ${d.dstIp}:${d.dstPort}`, [...connects, e.id]);
      return;
    }
    if (e.kind === 'http.request') {
      const d = e.details;
      const bytes = d.bytes ?? 0;
      if (!['POST', 'PUT', 'PATCH'].includes(d.method) || bytes < EXFIL_HTTP_BYTES) return;
      const host = d.host.toLowerCase().replace(/:\d+$/, '');
      if (ctx.names.isLlmHost(ctx.o.pod, host) || ctx.names.workloadForHost(host) || /\.svc(\.|$)|\.cluster\.local$/.test(host)) return;
      const known = [...ctx.profile.features.get('egress')!].some((k) => k.split(':')[1] === host);
      if (known) return;
      this.raise(ctx, emit, host, 443, bytes, `an HTTP ${d.method} of ${bytes} bytes to https://${host}${d.path}`, [e.id]);
    }
  }

  private isExternal(ctx: DetectorContext, ip: string): boolean {
    return ctx.names.isExternalAddress(ip);
  }

  private isNew(ctx: DetectorContext, protocol: string, ip: string, dnsName: string | undefined, port: number): boolean {
    const name = dnsName ?? ctx.names.dnsNameOf(ip);
    // The same keys the baseline learned from connects (egress by name, egressAddresses by address).
    const [egress, egressAddress] = connectFeatures(protocol, name ?? ip, ip, port);
    if (ctx.profile!.has('egressAddresses', egressAddress!.key)) return false;
    return !(name && ctx.profile!.has('egress', egress!.key));
  }

  private raise(ctx: DetectorContext, emit: (draft: SignalDraft) => void, host: string, port: number, bytes: number, what: string, eventIds: string[]): void {
    const workload = ctx.o.workload!;
    emit({
      detector: 'exfiltration',
      rule: 'new-egress-with-volume',
      dedupeKey: `${ctx.o.pod}|${host}`,
      severity: bytes >= EXFIL_CONNECTION_BYTES ? 'high' : 'medium',
      confidence: 0.8,
      time: ctx.o.event.time,
      workload,
      pod: ctx.o.pod,
      techniques: ctx.names.roleOf(workload) === 'agent' ? techniques('exfilWebService', 'exfilCyber', 'llmDataLeakage', 'llmSensitiveDisclosure') : techniques('exfilWebService', 'exfilCyber', 'llmSensitiveDisclosure'),
      summary: `${ctx.o.process ? ctx.o.process.exe.split('/').pop() : 'a process'} in ${where(ctx)} sent data to ${host}, a destination it never reached during its baseline: ${what}`,
      explanation: `Data leaving for a new external destination right after unusual activity is the shape of exfiltration; ${host} was never contacted while the workload was learned.`,
      eventIds,
      entities: [workloadRef(workload), ...(ctx.o.process ? [processRef(workload, ctx.o.process.exe)] : []), ref('api', entityId.api(host, port), `${host}:${port}`)],
      correlationKeys: [...baseKeys(ctx), `data:egress:${host}`],
    });
  }

  private onDns(ctx: DetectorContext, queryName: string, eventId: string, emit: (draft: SignalDraft) => void): void {
    const parsed = parseQueryName(queryName);
    if (parsed === null) return;
    const { name, firstLabel, domain } = parsed;
    let byDomain = this.subdomains.get(ctx.o.pod!);
    if (!byDomain) this.subdomains.set(ctx.o.pod!, (byDomain = new Map()));
    let window = byDomain.get(domain);
    if (!window || ctx.o.timeMs - window.startMs > TUNNEL_WINDOW_MS) {
      window = { startMs: ctx.o.timeMs, names: new Set(), eventIds: [] };
      byDomain.set(domain, window);
    }
    if (!window.names.has(name)) {
      window.names.add(name);
      if (window.eventIds.length < 32) window.eventIds.push(eventId);
    }
    const longLabel = firstLabel.length >= TUNNEL_LABEL_LENGTH && shannonEntropy(firstLabel) > 3.5;
    const manyNames = window.names.size >= TUNNEL_UNIQUE_SUBDOMAINS;
    if (!longLabel && !manyNames) return;
    const workload = ctx.o.workload!;
    emit({
      detector: 'exfiltration',
      rule: 'dns-tunnel',
      dedupeKey: `${ctx.o.pod}|${domain}`,
      severity: longLabel && manyNames ? 'high' : 'medium',
      confidence: longLabel && manyNames ? 0.85 : 0.6,
      time: ctx.o.event.time,
      workload,
      pod: ctx.o.pod,
      techniques: techniques('dnsProtocol', 'exfilAlternativeProtocol', 'exfilCyber'),
      summary: `${where(ctx)} sent DNS queries shaped like a tunnel to ${domain}: ${window.names.size} unique names within a minute${longLabel ? `, labels like ${firstLabel.slice(0, 24)}…` : ''}`,
      explanation: 'Long random-looking labels and many unique subdomains of one domain carry data inside DNS queries, past egress filters that allow DNS.',
      eventIds: manyNames ? [...window.eventIds] : [eventId],
      entities: [workloadRef(workload), ref('api', entityId.api(domain), domain)],
      correlationKeys: [...baseKeys(ctx), `data:egress:${domain}`],
    });
  }
}
