// The behaviour features of one event, as a baseline learns them and drift compares them: one definition shared by
// baselines, drift detection and policy generation, so they can never disagree about what "seen before" means.
import type { Observation } from './observation.js';
import { collapseHttpPath, collapsePath } from './observed-names.js';
import { memoized } from './memo.js';

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

/**
 * The features of one event. Most events repeat what earlier ones did (the same destination, file, syscall), so the
 * features of the common kinds are built once per distinct value and shared: callers must not modify the array.
 */
export function featuresOf(o: Observation, peerName: PeerNamer, addressName: AddressNamer): readonly Feature[] {
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
      return connectFeatures(d.protocol, host, d.dstIp, d.dstPort);
    }
    case 'net.accept': {
      // The collector reports an accepted socket from the pod's side: src = the pod's listening address, dst = peer.
      const d = e.details;
      const peer = peerName(d.dstIp) ?? d.dstIp;
      return acceptFeatures(d.protocol, peer, d.srcPort);
    }
    case 'dns.query':
      return memo(dnsFeatureCache, e.details.queryName, dnsFeatures);
    case 'file.open': {
      const files = memo(fileFeatureCache, e.details.path, fileFeatures);
      if (!isCredentialRead(e.details.category, e.details.path)) return files;
      return [files[0]!, { kind: 'credentialReaders', key: `${e.process?.exe ?? '?'}|${e.details.category}` }];
    }
    case 'syscall.first':
      return memo(syscallFeatureCache, e.details.syscall, syscallFeatures);
    case 'http.request': {
      const d = e.details;
      const byPath = subMap(subMap(httpFeatureCache, d.method), d.host);
      let features = byPath.get(d.path);
      if (features === undefined) {
        if (overflows(httpFeatureCache)) httpFeatureCache.clear();
        byPath.set(d.path, (features = [{ kind: 'http', key: `${d.method} ${d.host}${collapseHttpPath(d.path)}` }]));
      }
      return features;
    }
    case 'llm.request':
      return memo(modelFeatureCache, e.details.model, modelFeatures);
    case 'llm.response': {
      const calls = e.details.toolCalls;
      if (calls.length === 0) return NO_FEATURES;
      if (calls.length === 1) return toolCallFeatures(calls[0]!.name, calls[0]!.arguments);
      const out: Feature[] = [];
      for (const call of calls) out.push(...toolCallFeatures(call.name, call.arguments));
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
      return NO_FEATURES;
  }
}

const NO_FEATURES: readonly Feature[] = Object.freeze([]);
/** Memo tables stay bounded: past this many distinct values a table starts over (a speed-up only, never a result). */
const MAX_MEMO_ENTRIES = 20_000;
const dnsFeatureCache = new Map<string, readonly Feature[]>();
const fileFeatureCache = new Map<string, readonly Feature[]>();
const syscallFeatureCache = new Map<string, readonly Feature[]>();
const modelFeatureCache = new Map<string, readonly Feature[]>();
const httpFeatureCache = new Map<string, Map<string, Map<string, readonly Feature[]>>>();
const connectFeatureCache = new Map<string, Map<string, Map<string, Map<number, readonly Feature[]>>>>();
const toolCallFeatureCache = new Map<string, Map<string, readonly Feature[]>>();
const acceptFeatureCache = new Map<string, Map<string, Map<number, readonly Feature[]>>>();

function memo<K, V>(table: Map<K, V>, key: K, build: (key: K) => V): V {
  let value = table.get(key);
  if (value === undefined) {
    if (table.size >= MAX_MEMO_ENTRIES) table.clear();
    table.set(key, (value = build(key)));
  }
  return value;
}

/**
 * Counts the entries added to a nested memo table and says when it is full: nesting must not multiply the bound
 * (a stream of random hosts, addresses and ports would). The caller clears the whole table.
 */
const memoEntries = new WeakMap<object, number>();
function overflows(table: Map<unknown, unknown>): boolean {
  const entries = (memoEntries.get(table) ?? 0) + 1;
  if (entries > MAX_MEMO_ENTRIES) {
    memoEntries.set(table, 1);
    return true;
  }
  memoEntries.set(table, entries);
  return false;
}

function subMap<K, A, B>(table: Map<K, Map<A, B>>, key: K): Map<A, B> {
  let value = table.get(key);
  if (value === undefined) {
    if (table.size >= MAX_MEMO_ENTRIES) table.clear();
    table.set(key, (value = new Map()));
  }
  return value;
}

const dnsFeatures = (name: string): readonly Feature[] => [{ kind: 'dnsNames', key: name.toLowerCase() }];
const fileFeatures = (path: string): readonly Feature[] => [{ kind: 'files', key: collapsePath(path) }];
const syscallFeatures = (syscall: string): readonly Feature[] => [{ kind: 'syscalls', key: syscall }];
const modelFeatures = (model: string): readonly Feature[] => [{ kind: 'models', key: model }];

/** The tool, the roots of the paths and the hosts one tool call names, once per distinct tool and arguments. */
function toolCallFeatures(name: string, argumentsText: string): readonly Feature[] {
  const byArguments = subMap(toolCallFeatureCache, name);
  let features = byArguments.get(argumentsText);
  if (features === undefined) {
    const out: Feature[] = [{ kind: 'tools', key: name }];
    const targets = toolCallTargets(argumentsText);
    for (const path of targets.paths) out.push({ kind: 'toolPaths', key: `${name}|${pathRoot(path)}` });
    for (const host of targets.hosts) out.push({ kind: 'toolHosts', key: `${name}|${host}` });
    if (overflows(toolCallFeatureCache)) toolCallFeatureCache.clear();
    byArguments.set(argumentsText, (features = out));
  }
  return features;
}

/**
 * The features of a connection: `egress` (`protocol:host:port`, host being its DNS name when known, else the
 * address) then `egressAddresses` (`protocol:ip:port`). Shared and built once per distinct destination.
 */
export function connectFeatures(protocol: string, host: string, ip: string, port: number): readonly Feature[] {
  const byPort = subMap(subMap(subMap(connectFeatureCache, protocol), host), ip);
  let features = byPort.get(port);
  if (features === undefined) {
    if (overflows(connectFeatureCache)) connectFeatureCache.clear();
    features = [
      { kind: 'egress', key: `${protocol}:${host}:${port}` },
      { kind: 'egressAddresses', key: `${protocol}:${ip}:${port}` },
    ];
    byPort.set(port, features);
  }
  return features;
}

function acceptFeatures(protocol: string, peer: string, port: number): readonly Feature[] {
  const byPort = subMap(subMap(acceptFeatureCache, protocol), peer);
  let features = byPort.get(port);
  if (features === undefined) {
    if (overflows(acceptFeatureCache)) acceptFeatureCache.clear();
    features = [
      { kind: 'ingress', key: `${protocol}:${port}` },
      { kind: 'ingressPeers', key: `${protocol}:${peer}:${port}` },
    ];
    byPort.set(port, features);
  }
  return features;
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
  return pathRootOnce(path);
}

const pathRootOnce = memoized((path) => {
  if (path.startsWith('../')) return '..';
  const segments = path.split('/').filter((s) => s.length > 0);
  return `/${segments.slice(0, 2).join('/')}`;
});

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/([a-z0-9.-]+)[^\s"'<>]*/gi;
/** Relative paths climbing out of wherever the tool starts (`../../etc/shadow`): outside any root by definition. */
const TRAVERSAL_PATTERN = /(?:^|[\s"'=:(])((?:\.\.\/)+[\w.@~/-]*)/g;
const PATH_PATTERN = /(?:^|[\s"'=:(])(\/(?:[\w.@~-]+\/?)+)/g;

export interface ToolCallTargets {
  readonly paths: readonly string[];
  readonly hosts: readonly string[];
}

const targetsCache = new Map<string, ToolCallTargets>();

/**
 * File paths and URL hosts named in a tool call's arguments (raw JSON text as the model produced it). Memoized: the
 * result is shared and frozen, callers read it.
 */
export function toolCallTargets(argumentsText: string): ToolCallTargets {
  let targets = targetsCache.get(argumentsText);
  if (!targets) {
    targets = parseToolCallTargets(argumentsText);
    if (targetsCache.size > 10_000) targetsCache.clear();
    targetsCache.set(argumentsText, targets);
  }
  return targets;
}

function parseToolCallTargets(argumentsText: string): ToolCallTargets {
  const hosts = new Set<string>();
  const paths = new Set<string>();
  for (const match of argumentsText.matchAll(URL_PATTERN)) hosts.add(match[1]!.toLowerCase());
  const withoutUrls = argumentsText.replace(URL_PATTERN, ' ');
  for (const match of withoutUrls.matchAll(PATH_PATTERN)) paths.add(match[1]!);
  for (const match of withoutUrls.matchAll(TRAVERSAL_PATTERN)) paths.add(match[1]!);
  return Object.freeze({ paths: Object.freeze([...paths].sort()), hosts: Object.freeze([...hosts].sort()) });
}
