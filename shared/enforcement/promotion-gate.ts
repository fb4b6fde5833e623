// When a workload may move from audit to enforced: the audit window has fully run (in event time of the case, or the
// clock in live mode — the caller passes `now`) and every violation seen in it has a decision.
import type { AuditViolation, ViolationDecision } from './violations.js';
import { unresolvedViolations } from './violations.js';

export interface PromotionGate {
  ready: boolean;
  /** Plain-words reasons it is not ready yet (empty when ready). */
  blockers: string[];
  windowEndsAt: string;
  unresolved: AuditViolation[];
}

export function promotionGate(options: {
  auditStartedAt: string;
  now: string;
  windowMs: number;
  violations: readonly AuditViolation[];
  decisions: readonly ViolationDecision[];
}): PromotionGate {
  const started = Date.parse(options.auditStartedAt);
  const now = Date.parse(options.now);
  if (Number.isNaN(started) || Number.isNaN(now)) throw new Error(`invalid time: audit started ${options.auditStartedAt}, now ${options.now}`);
  const windowEndsAt = new Date(started + options.windowMs).toISOString();
  const blockers: string[] = [];
  if (now < started + options.windowMs) {
    blockers.push(`the audit window runs until ${windowEndsAt} (${formatDuration(started + options.windowMs - now)} left)`);
  }
  const unresolved = unresolvedViolations(options.violations, options.decisions);
  if (unresolved.length > 0) {
    const sample = unresolved.slice(0, 3).map((v) => v.what).join('; ');
    blockers.push(`${unresolved.length} violation${unresolved.length === 1 ? '' : 's'} without a decision (accept or mark suspicious): ${sample}${unresolved.length > 3 ? '; …' : ''}`);
  }
  // A violation marked suspicious does not hold promotion: enforcing the policy blocks exactly that traffic.
  return { ready: blockers.length === 0, blockers, windowEndsAt, unresolved };
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}
