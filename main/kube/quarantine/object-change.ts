// One wanted change to one object, carried out the safe way: read the object, decide from what is there (so applying
// twice changes nothing), write with the resourceVersion just read (so a concurrent writer causes a 409 instead of
// being overwritten), and on a 409 read again and decide again.
import type { KubeObject } from '../../../shared/model/inventory.js';
import type { KubeClient } from '../kube-client.js';
import { KubeApiError } from '../kube-errors.js';
import { apiVersionOf, collectionPath, objectPath, type ResourceKind } from '../resource-kinds.js';

export type Desired = { action: 'none' } | { action: 'create'; object: KubeObject } | { action: 'update'; object: KubeObject } | { action: 'delete' };

export interface ChangeSpec {
  kind: ResourceKind;
  namespace?: string;
  name: string;
  subresource?: 'scale';
  /** Why, in plain words ("deny all traffic of the pod"). */
  purpose: string;
  /** The change to make given the object as it is now (null: it does not exist). May throw to refuse. */
  desire(current: KubeObject | null): Desired;
}

export interface ChangeResult {
  op: 'create' | 'update' | 'delete' | 'none';
  before: KubeObject | null;
  after: KubeObject | null;
  conflictsRetried: number;
}

export interface WriteHooks {
  /** Called between reading an object and writing it; tests use it to make a concurrent change (a real 409). */
  beforeWrite?(spec: ChangeSpec, attempt: number): Promise<void>;
}

export const MAX_CONFLICT_RETRIES = 5;

/** The object as logged: no managedFields; fractions (never in the objects Vigil changes) as strings for canonical JSON. */
export function loggable(object: KubeObject | null): KubeObject | null {
  if (!object) return null;
  const walk = (value: unknown): unknown => {
    if (typeof value === 'number') return Number.isSafeInteger(value) ? value : String(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  const copy = walk(object) as KubeObject;
  delete (copy.metadata as { managedFields?: unknown }).managedFields;
  return copy;
}

export function specPath(spec: Pick<ChangeSpec, 'kind' | 'name' | 'namespace' | 'subresource'>): string {
  const path = objectPath(spec.kind, spec.name, spec.namespace);
  return spec.subresource ? `${path}/${spec.subresource}` : path;
}

export async function readCurrent(client: KubeClient, spec: Pick<ChangeSpec, 'kind' | 'name' | 'namespace' | 'subresource'>): Promise<KubeObject | null> {
  try {
    const object = await client.request<KubeObject>('GET', specPath(spec));
    object.apiVersion ??= spec.subresource ? 'autoscaling/v1' : apiVersionOf(spec.kind);
    object.kind ??= spec.subresource ? 'Scale' : spec.kind.kind;
    return object;
  } catch (error) {
    if (error instanceof KubeApiError && error.isNotFound) return null;
    throw error;
  }
}

/** Reads, decides and writes (server-side dry run when `dryRun`), retrying on 409 with a fresh read. */
export async function carryOut(client: KubeClient, spec: ChangeSpec, dryRun: boolean, hooks: WriteHooks = {}): Promise<ChangeResult> {
  const query = dryRun ? { dryRun: 'All' } : undefined;
  for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    const current = await readCurrent(client, spec);
    const desired = spec.desire(current);
    if (desired.action === 'none') return { op: 'none', before: current, after: current, conflictsRetried: attempt };
    await hooks.beforeWrite?.(spec, attempt);
    try {
      if (desired.action === 'create') {
        const after = await client.request<KubeObject>('POST', collectionPath(spec.kind, spec.namespace), { body: desired.object, query });
        return { op: 'create', before: null, after, conflictsRetried: attempt };
      }
      if (desired.action === 'update') {
        // A JSON merge patch of exactly the difference, carrying the resourceVersion just read as a precondition:
        // a concurrent write gives 409, and an object deleted meanwhile gives 404 (a PUT would re-create it).
        const patch = mergePatch(current ?? {}, desired.object) as Record<string, Record<string, unknown>>;
        patch.metadata = { ...patch.metadata, resourceVersion: current?.metadata.resourceVersion };
        const after = await client.request<KubeObject>('PATCH', specPath(spec), { body: patch, query, contentType: 'application/merge-patch+json' });
        return { op: 'update', before: current, after, conflictsRetried: attempt };
      }
      // With a DeleteOptions body the API server ignores query parameters, so dryRun must be in the body as well.
      const preconditions = { uid: current?.metadata.uid, resourceVersion: current?.metadata.resourceVersion };
      const options = { apiVersion: 'v1', kind: 'DeleteOptions', preconditions, ...(dryRun ? { dryRun: ['All'] } : {}) };
      await client.request('DELETE', specPath(spec), { body: options, query });
      return { op: 'delete', before: current, after: null, conflictsRetried: attempt };
    } catch (error) {
      // 409 (changed since read, or created meanwhile) and a delete racing another delete: read again, decide again.
      const retry = error instanceof KubeApiError && (error.status === 409 || (desired.action === 'delete' && error.isNotFound));
      if (!retry) throw error;
    }
  }
  throw new Error(`${spec.kind.kind} ${spec.namespace ? `${spec.namespace}/` : ''}${spec.name} kept changing under Vigil (${MAX_CONFLICT_RETRIES + 1} conflicts in a row)`);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7386 merge patch turning `from` into `to`: changed keys set, removed keys null, arrays replaced whole. */
export function mergePatch(from: unknown, to: unknown): unknown {
  if (!isPlainObject(from) || !isPlainObject(to)) return to;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    const old = from[key];
    if (isPlainObject(old) && isPlainObject(value)) {
      const nested = mergePatch(old, value) as Record<string, unknown>;
      if (Object.keys(nested).length > 0) patch[key] = nested;
    } else if (JSON.stringify(old) !== JSON.stringify(value)) {
      patch[key] = value;
    }
  }
  return patch;
}

/** Strips what the server owns, so a saved object can be created again. */
export function recreatable(object: KubeObject): KubeObject {
  const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, generation: _gen, managedFields: _mf, selfLink: _sl, ...metadata } = object.metadata as Record<string, unknown>;
  const { status: _status, ...rest } = object;
  return { ...rest, metadata: metadata as KubeObject['metadata'] };
}
