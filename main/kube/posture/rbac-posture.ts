// RBAC posture: each service account's effective grants next to the API calls it was observed making, with the
// unused grants said in plain words ("can list secrets cluster-wide; used: get configmaps in its own namespace").
// Pure: no Node API, no client-node.
import type { KubeObject } from '../../../shared/model/inventory.js';
import type { GrantUse, ObservedApiCall, PermissionGrant, PostureReport, ServiceAccountPosture } from '../../../shared/model/posture.js';
import type { AuditEvent } from './audit-events.js';
import { EffectivePermissions, serviceAccountUserName, type RbacObjects } from './effective-permissions.js';
import { ruleAllows, ruleIsRisky } from './rbac-rules.js';

export interface PostureInput {
  clusterId: string;
  context: string;
  rbac: RbacObjects;
  serviceAccounts: KubeObject[];
  pods: KubeObject[];
  /** Observed API calls (k8s.audit events from audit logs, or from the collector with source "collector"). */
  calls: AuditEvent[];
  /** Per service-account user name: connections to the API server the collector saw (requests decoded or not). */
  apiConnections?: Map<string, number>;
  sources: string[];
  /** Only service accounts of this namespace. */
  namespace?: string;
  incomplete?: string[];
  now?: () => Date;
}

/** Bindings Kubernetes itself creates for every authenticated user (discovery, self reviews): not a workload's posture. */
function isPlatformDefault(grant: PermissionGrant): boolean {
  return grant.via.subject.kind === 'Group' && grant.via.binding.name.startsWith('system:');
}

function resourceWords(resources: string[], apiGroups: string[]): string {
  const named = resources.map((r) => (r === '*' ? 'every resource' : r)).join(', ') || 'nothing';
  const groups = apiGroups.filter((g) => g !== '');
  if (groups.includes('*')) return `${named} in every API group`;
  return groups.length > 0 && !resources.includes('*') ? `${named} (${groups.join(', ')})` : named;
}

function scopeWords(namespace: string | undefined, ownNamespace: string): string {
  if (namespace === undefined) return 'cluster-wide';
  return namespace === ownNamespace ? 'in its own namespace' : `in namespace ${namespace}`;
}

function verbWords(verbs: string[]): string {
  return verbs.includes('*') ? 'do anything with' : verbs.join(', ');
}

function grantWords(verbs: string[], g: Pick<GrantUse, 'apiGroups' | 'resources' | 'resourceNames' | 'nonResourceURLs' | 'namespace'>, ownNamespace: string): string {
  if (g.resources.length === 0 && g.nonResourceURLs.length > 0) return `can ${verbWords(verbs)} the URLs ${g.nonResourceURLs.join(', ')}`;
  const names = g.resourceNames.length > 0 ? ` named ${g.resourceNames.join(', ')}` : '';
  return `can ${verbWords(verbs)} ${resourceWords(g.resources, g.apiGroups)}${names} ${scopeWords(g.namespace, ownNamespace)}`;
}

function callResource(call: AuditEvent['details']): string {
  return call.subresource ? `${call.resource}/${call.subresource}` : call.resource;
}

/** Where an observed call was seen: the API server's audit log, the collector on the node, or both. */
export type CallSource = 'audit log' | 'collector';

/** An observed call with its sources; `count` is the most any one source saw (both see the same requests). */
export interface SourcedCall extends ObservedApiCall {
  sources: CallSource[];
}

const sourceOf = (event: AuditEvent): CallSource => (event.source === 'collector' ? 'collector' : 'audit log');

/** Observed calls of one identity, merged by verb, group, resource, namespace and name. */
export function aggregateCalls(events: AuditEvent[]): SourcedCall[] {
  const byKey = new Map<string, SourcedCall & { perSource: Map<CallSource, number> }>();
  for (const event of events) {
    const { details: d, time } = event;
    const source = sourceOf(event);
    const denied = d.responseCode === 401 || d.responseCode === 403;
    const key = JSON.stringify([d.verb, d.apiGroup, callResource(d), d.namespace ?? '', d.name ?? '', denied]);
    const existing = byKey.get(key);
    if (existing) {
      existing.perSource.set(source, (existing.perSource.get(source) ?? 0) + 1);
      existing.count = Math.max(...existing.perSource.values());
      if (!existing.sources.includes(source)) existing.sources = [...existing.sources, source].sort();
      if (time < existing.firstSeen) existing.firstSeen = time;
      if (time > existing.lastSeen) existing.lastSeen = time;
      continue;
    }
    byKey.set(key, {
      sources: [source],
      perSource: new Map([[source, 1]]),
      verb: d.verb,
      apiGroup: d.apiGroup,
      resource: callResource(d),
      ...(d.namespace ? { namespace: d.namespace } : {}),
      ...(d.name ? { name: d.name } : {}),
      ...(d.responseCode !== undefined ? { responseCode: d.responseCode } : {}),
      count: 1,
      firstSeen: time,
      lastSeen: time,
    });
  }
  return [...byKey.values()].map(({ perSource: _, ...call }) => call);
}

const isDenied = (call: ObservedApiCall) => call.responseCode === 401 || call.responseCode === 403;

function grantCovers(grant: Pick<PermissionGrant, 'verbs' | 'apiGroups' | 'resources' | 'resourceNames' | 'nonResourceURLs' | 'namespace'>, verb: string, call: ObservedApiCall): boolean {
  // A namespaced grant covers calls inside its namespace only; a cluster-wide one covers every call.
  if (grant.namespace !== undefined && call.namespace !== grant.namespace) return false;
  return ruleAllows({ ...grant, verbs: grant.verbs.includes('*') ? ['*'] : [verb] }, { verb: call.verb, apiGroup: call.apiGroup, resource: call.resource, name: call.name });
}

/** "seen by the collector" or "audit log and collector": said only when the collector saw the call. */
function sourceWords(sources: Set<CallSource>): string {
  if (!sources.has('collector')) return '';
  return sources.has('audit log') ? '; audit log and collector' : '; seen by the collector';
}

/** "get, list configmaps in its own namespace" per (resource, namespace), verbs merged. */
function callWords(calls: SourcedCall[], ownNamespace: string): string[] {
  const groups = new Map<string, { verbs: Set<string>; resource: string; apiGroup: string; namespace?: string; count: number; sources: Set<CallSource> }>();
  for (const call of calls) {
    const key = JSON.stringify([call.apiGroup, call.resource, call.namespace ?? '']);
    const group = groups.get(key) ?? { verbs: new Set<string>(), resource: call.resource, apiGroup: call.apiGroup, namespace: call.namespace, count: 0, sources: new Set<CallSource>() };
    group.verbs.add(call.verb);
    group.count += call.count;
    for (const source of call.sources) group.sources.add(source);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => `${[...g.verbs].sort().join(', ')} ${resourceWords([g.resource], [g.apiGroup])} ${scopeWords(g.namespace, ownNamespace)} (${g.count}×${sourceWords(g.sources)})`)
    .sort();
}

function mergeGrants(grants: PermissionGrant[]): GrantUse[] {
  const merged = new Map<string, GrantUse>();
  for (const grant of grants) {
    const key = JSON.stringify([grant.verbs, grant.apiGroups, grant.resources, grant.resourceNames, grant.nonResourceURLs, grant.namespace ?? null]);
    const existing = merged.get(key);
    if (existing) {
      existing.via.push(grant.via);
      existing.viaGroupOnly &&= grant.via.subject.kind === 'Group';
      continue;
    }
    merged.set(key, {
      words: '',
      verbs: grant.verbs,
      apiGroups: grant.apiGroups,
      resources: grant.resources,
      resourceNames: grant.resourceNames,
      nonResourceURLs: grant.nonResourceURLs,
      ...(grant.namespace !== undefined ? { namespace: grant.namespace } : {}),
      via: [grant.via],
      usedVerbs: [],
      unusedVerbs: [],
      viaGroupOnly: grant.via.subject.kind === 'Group',
      risky: ruleIsRisky(grant),
    });
  }
  return [...merged.values()];
}

function postureOf(permissions: EffectivePermissions, namespace: string, name: string, pods: string[], calls: SourcedCall[], defaults: Set<string>, apiConnections = 0): ServiceAccountPosture {
  const allGrants = permissions.grantsOf(namespace, name);
  for (const grant of allGrants.filter(isPlatformDefault)) defaults.add(`${grant.via.binding.kind} ${grant.via.binding.name}`);
  const grants = mergeGrants(allGrants.filter((g) => !isPlatformDefault(g)));
  const allowedCalls = calls.filter((c) => !isDenied(c));
  for (const grant of grants) {
    grant.words = grantWords(grant.verbs, grant, namespace);
    const covered = allowedCalls.filter((call) => grantCovers(grant, call.verb, call));
    const usedVerbs = new Set(covered.map((c) => c.verb));
    if (grant.verbs.includes('*')) {
      grant.usedVerbs = [...usedVerbs].sort();
      grant.unusedVerbs = usedVerbs.size === 0 ? ['*'] : [];
    } else {
      grant.usedVerbs = grant.verbs.filter((v) => usedVerbs.has(v));
      grant.unusedVerbs = grant.verbs.filter((v) => !usedVerbs.has(v));
    }
    if (grant.namespace === undefined && covered.length > 0 && covered.every((c) => c.namespace)) {
      const namespaces = [...new Set(covered.map((c) => c.namespace!))].sort();
      grant.narrowerUse = `granted cluster-wide, but used only in ${namespaces.length === 1 ? 'namespace' : 'namespaces'} ${namespaces.join(', ')}`;
    }
  }
  // Risky first, then the widest (cluster-wide before one namespace), then alphabetically.
  grants.sort((a, b) => Number(b.risky) - Number(a.risky) || Number(a.namespace !== undefined) - Number(b.namespace !== undefined) || a.words.localeCompare(b.words));
  const unused = grants.filter((g) => g.unusedVerbs.length > 0).map((g) => grantWords(g.unusedVerbs, g, namespace));
  const used = callWords(allowedCalls, namespace);
  const denied = callWords(calls.filter(isDenied), namespace);
  const unexplained = callWords(
    allowedCalls.filter((call) => !allGrants.some((grant) => grantCovers(grant, call.verb, call))),
    namespace,
  );
  // Connections whose requests the collector could not decode still say the identity talks to the API server.
  const undecoded = used.length === 0 && apiConnections > 0 ? `no request decoded, but ${apiConnections} connection${apiConnections === 1 ? '' : 's'} to the API server seen by the collector` : undefined;
  const usedText = used.length > 0 ? used.map((u) => u.replace(/ \(\d+×[^)]*\)$/, '')).join(', ') : (undecoded ?? 'nothing observed');
  let summary: string;
  if (grants.length === 0) summary = `has no grants beyond the platform defaults; used: ${usedText}`;
  else if (unused.length === 0) summary = `uses every grant it has; used: ${usedText}`;
  else summary = `${unused.join('; ')}; used: ${usedText}`;
  return { namespace, name, pods, grants, used, denied, unused, summary, unexplained };
}

export function computePosture(input: PostureInput): PostureReport {
  const permissions = new EffectivePermissions(input.rbac);
  const callsByUser = new Map<string, AuditEvent[]>();
  for (const call of input.calls) {
    const list = callsByUser.get(call.details.user) ?? [];
    list.push(call);
    callsByUser.set(call.details.user, list);
  }
  const podsBySa = new Map<string, string[]>();
  for (const pod of input.pods) {
    const spec = pod.spec as { serviceAccountName?: string } | undefined;
    const key = `${pod.metadata.namespace}/${spec?.serviceAccountName || 'default'}`;
    podsBySa.set(key, [...(podsBySa.get(key) ?? []), pod.metadata.name]);
  }
  const defaults = new Set<string>();
  const serviceAccounts = input.serviceAccounts
    .filter((sa) => input.namespace === undefined || sa.metadata.namespace === input.namespace)
    .map((sa) => {
      const namespace = sa.metadata.namespace ?? '';
      const name = sa.metadata.name;
      const calls = aggregateCalls(callsByUser.get(serviceAccountUserName(namespace, name)) ?? []);
      const user = serviceAccountUserName(namespace, name);
      return postureOf(permissions, namespace, name, (podsBySa.get(`${namespace}/${name}`) ?? []).sort(), calls, defaults, input.apiConnections?.get(user));
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const times = input.calls.map((c) => c.time).filter(Boolean).sort();
  return {
    clusterId: input.clusterId,
    context: input.context,
    generatedAt: (input.now?.() ?? new Date()).toISOString(),
    observation: { sources: input.sources, calls: input.calls.length, ...(times.length > 0 ? { from: times[0], to: times.at(-1) } : {}) },
    defaultsExcluded: [...defaults].sort(),
    serviceAccounts,
    incomplete: input.incomplete ?? [],
  };
}
