// What an enforcement step would do, read before it is confirmed: each object with the server's dry-run verdict,
// the node-level part in words, and whether this user may take the step (and if not, why). Nothing is written.
import type { DryRunResult, ObjectChange } from '../../shared/model/action.js';
import type { ChangeSpec } from '../kube/quarantine/object-change.js';

export interface StepPreview {
  allowed: boolean;
  reason: string;
  changes: { op: ObjectChange['op']; kind: string; namespace?: string; name: string; purpose: string; ok: boolean; error?: string }[];
  node: string | null;
  warnings: string[];
}

/** The specs in order, each with the operation and verdict the dry run gave it. */
export function changesOf(specs: readonly ChangeSpec[], dryRun: DryRunResult): StepPreview['changes'] {
  return specs.map((spec, index) => {
    const verdict = dryRun.objects[index];
    return {
      op: verdict?.op ?? 'none',
      kind: spec.kind.kind,
      ...(spec.namespace ? { namespace: spec.namespace } : {}),
      name: spec.name,
      purpose: spec.purpose,
      ok: verdict?.ok ?? false,
      ...(verdict?.error ? { error: verdict.error } : {}),
    };
  });
}
