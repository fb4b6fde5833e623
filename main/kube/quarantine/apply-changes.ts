// Carries out a list of changes the way every Vigil action must: a server-side dry run of all of them first
// (nothing is applied unless the API server accepts every one), then each applied in order, then each read back.
// When one fails part-way, the ones already applied are undone in reverse order, and the record says object by
// object what was applied, rolled back, or could not be rolled back.
import type { ActionOutcome, DryRunResult, ObjectChange } from '../../../shared/model/action.js';
import type { KubeClient } from '../kube-client.js';
import { apiVersionOf } from '../resource-kinds.js';
import { carryOut, loggable, readCurrent, type ChangeSpec, type WriteHooks } from './object-change.js';
import { undoSpec } from './undo.js';

export interface AppliedChanges {
  dryRun: DryRunResult;
  objects: ObjectChange[];
  outcome: ActionOutcome;
  verification: { ok: boolean; problems: string[] };
}

const describe = (spec: Pick<ChangeSpec, 'kind' | 'namespace' | 'name' | 'subresource'>) =>
  `${spec.kind.kind}${spec.subresource ? `/${spec.subresource}` : ''} ${spec.namespace ? `${spec.namespace}/` : ''}${spec.name}`;

function record(spec: ChangeSpec, fields: Pick<ObjectChange, 'op' | 'before' | 'after' | 'status'> & { error?: string }): ObjectChange {
  return {
    op: fields.op,
    apiVersion: apiVersionOf(spec.kind),
    kind: spec.kind.kind,
    ...(spec.subresource ? { subresource: spec.subresource } : {}),
    ...(spec.namespace ? { namespace: spec.namespace } : {}),
    name: spec.name,
    purpose: spec.purpose,
    before: loggable(fields.before),
    after: loggable(fields.after),
    status: fields.status,
    ...(fields.error ? { error: fields.error } : {}),
  };
}

/**
 * The server-side dry run of every change, and what each would do: the object as it is and as the API server says
 * it would become (so a preview can show the diff before anything is applied; nothing is, hence 'not-attempted').
 */
async function dryRunAll(client: KubeClient, specs: ChangeSpec[], hooks: WriteHooks): Promise<{ dryRun: DryRunResult; previews: ObjectChange[] }> {
  const objects: DryRunResult['objects'] = [];
  const previews: ObjectChange[] = [];
  for (const spec of specs) {
    const base = { kind: spec.kind.kind, ...(spec.namespace ? { namespace: spec.namespace } : {}), name: spec.name };
    try {
      const result = await carryOut(client, spec, true, hooks);
      objects.push({ op: result.op, ...base, ok: true });
      previews.push(record(spec, { op: result.op, before: result.before, after: result.after, status: 'not-attempted' }));
    } catch (error) {
      objects.push({ op: 'none', ...base, ok: false, error: `${describe(spec)}: ${(error as Error).message}` });
      previews.push(record(spec, { op: 'none', before: null, after: null, status: 'not-attempted' }));
    }
  }
  return { dryRun: { ok: objects.every((o) => o.ok), objects }, previews };
}

export async function applyChanges(client: KubeClient, specs: ChangeSpec[], options: { dryRunOnly?: boolean; hooks?: WriteHooks } = {}): Promise<AppliedChanges> {
  const hooks = options.hooks ?? {};
  const { dryRun, previews } = await dryRunAll(client, specs, hooks);
  const notAttempted = () => specs.map((spec) => record(spec, { op: 'none', before: null, after: null, status: 'not-attempted' }));
  if (!dryRun.ok) return { dryRun, objects: notAttempted(), outcome: 'rejected', verification: { ok: true, problems: [] } };
  if (options.dryRunOnly) return { dryRun, objects: previews, outcome: 'dry-run', verification: { ok: true, problems: [] } };

  const objects: ObjectChange[] = [];
  let failedAt = -1;
  for (const [index, spec] of specs.entries()) {
    try {
      const result = await carryOut(client, spec, false, hooks);
      objects.push(record(spec, { ...result, status: result.op === 'none' ? 'unchanged' : 'applied' }));
    } catch (error) {
      objects.push(record(spec, { op: 'none', before: null, after: null, status: 'failed', error: `${describe(spec)}: ${(error as Error).message}` }));
      failedAt = index;
      break;
    }
  }

  if (failedAt >= 0) {
    for (const spec of specs.slice(failedAt + 1)) objects.push(record(spec, { op: 'none', before: null, after: null, status: 'not-attempted' }));
    let allUndone = true;
    for (const change of [...objects].reverse()) {
      if (change.status !== 'applied') continue;
      try {
        await carryOut(client, undoSpec(change), false, hooks);
        change.status = 'rolled-back';
      } catch (error) {
        change.status = 'rollback-failed';
        change.error = `rolling back failed: ${(error as Error).message}`;
        allUndone = false;
      }
    }
    return { dryRun, objects, outcome: allUndone ? 'rolled-back' : 'partial', verification: { ok: false, problems: objects.filter((o) => o.error).map((o) => o.error!) } };
  }

  // Read every object back: each must now be exactly as wanted, i.e. deciding again finds nothing to do.
  const problems: string[] = [];
  for (const spec of specs) {
    try {
      const current = await readCurrent(client, spec);
      if (spec.desire(current).action !== 'none') problems.push(`${describe(spec)} is not in the intended state when read back`);
    } catch (error) {
      problems.push(`${describe(spec)} could not be read back: ${(error as Error).message}`);
    }
  }
  const changed = objects.some((o) => o.status === 'applied');
  return { dryRun, objects, outcome: changed ? 'applied' : 'unchanged', verification: { ok: problems.length === 0, problems } };
}
