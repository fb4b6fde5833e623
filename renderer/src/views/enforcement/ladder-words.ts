// The ladder's rungs in the words the workbench uses, and a time as a reader wants it (date and minute, UTC).
import type { LadderStep } from '../../../../shared/enforcement/ladder.js';

export const stepLabel: Record<LadderStep, string> = {
  observing: 'Observing',
  'baseline-ready': 'Baseline ready',
  audit: 'Audit',
  enforced: 'Enforced',
};

export function shortTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
