// One row per object a response touches, joining the object change (purpose, status, before/after) with the
// server's dry-run verdict on it. In a dry run the change itself says op "none" (nothing was applied), so the
// planned operation comes from the dry run's verdict.
import type { ResponseRun } from '../../../../shared/api/contract.js';

export interface PlannedChange {
  op: string;
  kind: string;
  namespace?: string;
  name: string;
  purpose: string;
  status: string;
  error?: string;
  dryRun: { ok: boolean; error?: string } | null;
  before: unknown;
  after: unknown;
}

export function plannedChanges(entry: ResponseRun['entry']): PlannedChange[] {
  return entry.objects.map((object) => {
    const verdict = entry.dryRun.objects.find((d) => d.kind === object.kind && d.name === object.name && (d.namespace ?? '') === (object.namespace ?? ''));
    return {
      op: object.op === 'none' && verdict ? verdict.op : object.op,
      kind: object.kind,
      ...(object.namespace ? { namespace: object.namespace } : {}),
      name: object.name,
      purpose: object.purpose,
      status: object.status,
      ...(object.error ? { error: object.error } : {}),
      dryRun: verdict ? { ok: verdict.ok, ...(verdict.error ? { error: verdict.error } : {}) } : null,
      before: object.before,
      after: object.after,
    };
  });
}
