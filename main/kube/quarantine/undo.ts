// Undoing a recorded change, from its saved before/after: a created object is deleted, a deleted one created again,
// and an update reverted only in the parts Vigil changed (labels it set, subjects it removed, the cordon flag, the
// replica count, a policy's spec) — so whatever else changed on the object meanwhile is kept.
import type { ObjectChange } from '../../../shared/model/action.js';
import type { KubeObject } from '../../../shared/model/inventory.js';
import { KINDS, type ResourceKind } from '../resource-kinds.js';
import { sameJson } from './quarantine-objects.js';
import { recreatable, type ChangeSpec, type Desired } from './object-change.js';

export function kindOf(change: Pick<ObjectChange, 'kind'>): ResourceKind {
  const kind = (KINDS as Record<string, ResourceKind>)[change.kind];
  if (!kind) throw new Error(`cannot undo a change to a ${change.kind}: Vigil never changes that kind`);
  return kind;
}

type Labels = Record<string, string>;

function revertLabels(current: KubeObject, before: KubeObject, after: KubeObject): KubeObject | null {
  const was: Labels = before.metadata.labels ?? {};
  const set: Labels = after.metadata.labels ?? {};
  const labels: Labels = { ...(current.metadata.labels ?? {}) };
  let changed = false;
  for (const key of new Set([...Object.keys(was), ...Object.keys(set)])) {
    if (was[key] === set[key]) continue;
    if (was[key] === undefined) {
      if (key in labels) {
        delete labels[key];
        changed = true;
      }
    } else if (labels[key] !== was[key]) {
      labels[key] = was[key]!;
      changed = true;
    }
  }
  return changed ? { ...current, metadata: { ...current.metadata, labels } } : null;
}

type Subject = { kind?: string; name?: string; namespace?: string; apiGroup?: string };
const subjectKey = (s: Subject) => JSON.stringify([s.kind, s.name, s.namespace ?? '']);

function revertSubjects(current: KubeObject, before: KubeObject, after: KubeObject): KubeObject | null {
  const remaining = new Set(((after.subjects as Subject[] | undefined) ?? []).map(subjectKey));
  const removed = ((before.subjects as Subject[] | undefined) ?? []).filter((s) => !remaining.has(subjectKey(s)));
  const subjects = [...((current.subjects as Subject[] | undefined) ?? [])];
  const present = new Set(subjects.map(subjectKey));
  const missing = removed.filter((s) => !present.has(subjectKey(s)));
  return missing.length > 0 ? { ...current, subjects: [...subjects, ...missing] } : null;
}

function revertSpecField(field: string) {
  return (current: KubeObject, before: KubeObject): KubeObject | null => {
    const wanted = (before.spec as Record<string, unknown> | undefined)?.[field];
    const spec = { ...((current.spec as Record<string, unknown> | undefined) ?? {}) };
    if (sameJson(spec[field], wanted)) return null;
    if (wanted === undefined) delete spec[field];
    else spec[field] = wanted;
    return { ...current, spec };
  };
}

function revertPolicy(current: KubeObject, before: KubeObject, after: KubeObject): KubeObject | null {
  const spec = sameJson(current.spec, before.spec) ? null : { ...current, spec: before.spec };
  const labelled = revertLabels(spec ?? current, before, after);
  return labelled ?? spec;
}

function revertUpdate(change: ObjectChange, current: KubeObject): KubeObject | null {
  const before = change.before as KubeObject;
  const after = change.after as KubeObject;
  if (change.subresource === 'scale') return revertSpecField('replicas')(current, before);
  switch (change.kind) {
    case 'Pod':
      return revertLabels(current, before, after);
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return revertSubjects(current, before, after);
    case 'Node':
      return revertSpecField('unschedulable')(current, before);
    case 'NetworkPolicy':
      return revertPolicy(current, before, after);
    default:
      throw new Error(`cannot undo an update of a ${change.kind}`);
  }
}

/** A ChangeSpec that undoes `change` (which must have been applied). */
export function undoSpec(change: ObjectChange): ChangeSpec {
  const base = { kind: kindOf(change), name: change.name, ...(change.namespace ? { namespace: change.namespace } : {}), ...(change.subresource ? { subresource: change.subresource } : {}) };
  const what = `${change.kind} ${change.namespace ? `${change.namespace}/` : ''}${change.name}`;
  if (change.op === 'create') {
    return { ...base, purpose: `remove ${what}, which Vigil created to ${change.purpose}`, desire: (current): Desired => (current ? { action: 'delete' } : { action: 'none' }) };
  }
  if (change.op === 'delete') {
    if (!change.before) throw new Error(`the log holds no saved copy of ${what}, so it cannot be restored`);
    const saved = recreatable(change.before as KubeObject);
    return { ...base, purpose: `restore ${what}, which Vigil deleted to ${change.purpose}`, desire: (current): Desired => (current ? { action: 'none' } : { action: 'create', object: saved }) };
  }
  if (change.op === 'update') {
    if (!change.before || !change.after) throw new Error(`the log lacks the before/after of ${what}, so the update cannot be reverted`);
    return {
      ...base,
      purpose: `revert what Vigil changed on ${what} to ${change.purpose}`,
      desire: (current): Desired => {
        if (!current) return { action: 'none' };
        const reverted = revertUpdate(change, current);
        return reverted ? { action: 'update', object: reverted } : { action: 'none' };
      },
    };
  }
  return { ...base, purpose: `nothing to undo on ${what}`, desire: () => ({ action: 'none' }) };
}
