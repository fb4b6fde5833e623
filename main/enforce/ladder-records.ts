// The enforcement steps the action log records, as the ladder reads them. Only steps that took effect count.
import type { ActionLogEntry } from '../../shared/model/action.js';
import type { EnforcementRecord } from '../../shared/enforcement/ladder.js';

const LADDER_ACTIONS = new Set(['enforce.audit', 'enforce.stop-audit', 'enforce.promote', 'enforce.rollback']);

export function ladderRecords(entries: readonly ActionLogEntry[], server: string): EnforcementRecord[] {
  return entries
    .filter((e) => LADDER_ACTIONS.has(e.action) && e.target.workload && e.target.server === server && ['applied', 'unchanged', 'partial'].includes(e.outcome))
    .map((e) => ({ time: e.time, actor: e.actor.username, workload: e.target.workload!, action: e.action as EnforcementRecord['action'], seq: e.seq }));
}
