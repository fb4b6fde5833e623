// The behaviour features of one event, as a baseline learns them and drift compares them: one definition shared by
// baselines, drift detection and policy generation, so they can never disagree about what "seen before" means.
import type { Observation } from './observation.js';
import { collapseHttpPath, collapsePath } from './observed-names.js';

export type FeatureKind =
  | 'executables'
  | 'lineage'
  | 'egress'
  | 'egressAddresses'
  | 'ingress'
  | 'ingressPeers'
  | 'dnsNames'
  | 'files'
  | 'credentialReaders'
  | 'syscalls'
  | 'http'
  | 'models'
  | 'tools'
  | 'toolPaths'
  | 'toolHosts'
  | 'apiUse'
  | 'apiObjects';

export const FEATURE_KINDS: readonly FeatureKind[] = [
  'executables', 'lineage', 'egress', 'egressAddresses', 'ingress', 'ingressPeers', 'dnsNames', 'files',
  'credentialReaders', 'syscalls', 'http', 'models', 'tools', 'toolPaths', 'toolHosts', 'apiUse', 'apiObjects',
];

export interface Feature {
  kind: FeatureKind;
  key: string;
}

/** Maps a peer address to a stable name: a workload (`namespace/owner`) for pods, else null. */
export type PeerNamer = (ip: string) => string | null;
/** Maps a destination address to a DNS name learned from lookups, or null. */
export type AddressNamer = (ip: string) => string | null;

export function featuresOf(o: Observation, peerName: PeerNamer, addressName: AddressNamer): Feature[] {
  const e = o.event;
  switch (e.kind) {
    case 'process.exec': {
      const exe = e.process?.exe ?? e.details.filename;
      const out: Feature[] = [{ kind: 'executables', key: exe }];
      if (o.process?.parentExe) out.push({ kind: 'lineage', key: `${o.process.parentExe} → ${exe}` });
      return out;
    }
    case 'net.connect': {
      const d = e.details;
      const host = d.dnsName ?? addressName(d.dstIp) ?? d.dstIp;
      return [
        { kind: 'egress', key: `${d.protocol}:${host}:${d.dstPort}` },
        { kind: 'egressAddresses', key: `${d.protocol}:${d.dstIp}:${d.dstPort}` },
      ];
    }
    case 'net.accept': {
      // The collector reports an accepted socket from the pod's side: src = the pod's listening address, dst = peer.
      const d = e.details;
      const peer = peerName(d.dstIp) ?? d.dstIp;
      return [
        { kind: 'ingress', key: `${d.protocol}:${d.srcPort}` },
        { kind: 'ingressPeers', key: `${d.protocol}:${peer}:${d.srcPort}` },
      ];
    }
    case 'dns.query':
      return [{ kind: 'dnsNames', key: e.details.queryName.toLowerCase() }];
    case 'file.open': {
      const out: Feature[] = [{ kind: 'files', key: collapsePath(e.details.path) }];
      if (isCredentialRead(e.details.category, e.details.path)) {
        out.push({ kind: 'credentialReaders', key: `${e.process?.exe ?? '?'}|${e.details.category}` });
      }
      return out;
    }
    case 'syscall.first':
      return [{ kind: 'syscalls', key: e.details.syscall }];
    case 'http.request':
      return [{ kind: 'http', key: `${e.details.method} ${e.details.host}${collapseHttpPath(e.details.path)}` }];
    case 'llm.request':
      return [{ kind: 'models', key: e.details.model }];
    case 'llm.response': {
      const out: Feature[] = [];
      for (const call of e.details.toolCalls) {
        out.push({ kind: 'tools', key: call.name });
        const targets = toolCallTargets(call.arguments);
        for (const path of targets.paths) out.push({ kind: 'toolPaths', key: `${call.name}|${pathRoot(path)}` });
        for (const host of targets.hosts) out.push({ kind: 'toolHosts', key: `${call.name}|${host}` });
      }
      return out;
    }
    case 'k8s.audit': {
      const d = e.details;
      const resource = `${d.resource}${d.subresource ? `/${d.subresource}` : ''}`;
      return [
        { kind: 'apiUse', key: `${d.user}|${d.verb}|${d.apiGroup}|${resource}|${d.namespace ?? ''}` },
        { kind: 'apiObjects', key: `${d.user}|${d.namespace ?? ''}|${d.apiGroup}|${resource}|${d.name ?? '*'}` },
      ];
    }
    default:
      return [];
  }
}

/**
 * Whether a file open reads a credential. The collector files the whole service-account directory under
 * `sa-token`; only `token` is a credential (namespace and ca.crt are public facts).
 */
export function isCredentialRead(category: string, path: string): boolean {
  if (category === 'other' || category === 'model') return false;
  return category !== 'sa-token' || path.endsWith('/token');
}

/** The first two segments of an absolute path: `/srv/files/docs/a.md` → `/srv/files`. A tool's "root". */
export function pathRoot(path: string): string {
  if (path.startsWith('../')) return '..';
  const segments = path.split('/').filter((s) => s.length > 0);
  return `/${segments.slice(0, 2).join('/')}`;
}

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/([a-z0-9.-]+)[^\s"'<>]*/gi;
/** Relative paths climbing out of wherever the tool starts (`../../etc/shadow`): outside any root by definition. */
const TRAVERSAL_PATTERN = /(?:^|[\s"'=:(])((?:\.\.\/)+[\w.@~/-]*)/g;
const PATH_PATTERN = /(?:^|[\s"'=:(])(\/(?:[\w.@~-]+\/?)+)/g;

const targetsCache = new Map<string, { paths: string[]; hosts: string[] }>();

/** File paths and URL hosts named in a tool call's arguments (raw JSON text as the model produced it). Memoized. */
export function toolCallTargets(argumentsText: string): { paths: string[]; hosts: string[] } {
  let targets = targetsCache.get(argumentsText);
  if (!targets) {
    targets = parseToolCallTargets(argumentsText);
    if (targetsCache.size > 10_000) targetsCache.clear();
    targetsCache.set(argumentsText, targets);
  }
  return { paths: [...targets.paths], hosts: [...targets.hosts] };
}

function parseToolCallTargets(argumentsText: string): { paths: string[]; hosts: string[] } {
  const hosts = new Set<string>();
  const paths = new Set<string>();
  for (const match of argumentsText.matchAll(URL_PATTERN)) hosts.add(match[1]!.toLowerCase());
  const withoutUrls = argumentsText.replace(URL_PATTERN, ' ');
  for (const match of withoutUrls.matchAll(PATH_PATTERN)) paths.add(match[1]!);
  for (const match of withoutUrls.matchAll(TRAVERSAL_PATTERN)) paths.add(match[1]!);
  return { paths: [...paths].sort(), hosts: [...hosts].sort() };
}
