// The audit's would-be violations, each with its evidence (the first events behind it) and its decision: accept it
// into the plan (a legitimate path — a new release, a month-end job) or mark it suspicious (the policy will block
// it). Deciding needs the permission to apply the policy; without it the buttons are disabled with the reason.
import { useState } from 'react';
import type { AuditViolationView } from '../../../../shared/enforcement/enforcement-api.js';
import { describeEvent } from '../common/describe-event.js';
import { CopyId } from '../common/CopyId.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { shortTime } from './ladder-words.js';

export type Decision = 'accepted' | 'suspicious';
const widens = { networkpolicy: 'the NetworkPolicy gains exactly this peer and port (an egress destination also joins the node allowlist)', seccomp: 'the seccomp profile allows this syscall', rbac: 'the Role grants this verb on this resource' } as const;

function ViolationItem({ violation, mayDecide, whyNot, busy, onDecide }: { violation: AuditViolationView; mayDecide: boolean; whyNot: string; busy: boolean; onDecide(decision: Decision, reason: string): void }) {
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState<Decision | null>(null);
  const inputId = `reason-${violation.id}`;
  const disabled = !mayDecide || busy || reason.trim() === '';
  return (
    <li className="violation" aria-label={`Violation ${violation.what}`}>
      <p className="violation-head">
        <span className="event-kind">{violation.kind}</span> <strong>{violation.what}</strong> ×{violation.count}
        <span className="muted"> · {shortTime(violation.firstSeen)} → {shortTime(violation.lastSeen)} · seen by {violation.sources.join(' + ')} · {violation.pods.join(', ') || 'no pod'}</span>
      </p>
      <details>
        <summary>Evidence ({violation.eventIds.length} event{violation.eventIds.length === 1 ? '' : 's'})</summary>
        <ol className="evidence-list">
          {violation.evidence.map((event) => (
            <li key={event.id}>
              <time dateTime={event.time}>{event.time.slice(11, 23)}</time> <span className="event-kind">{event.kind}</span> {describeEvent(event)} <CopyId id={event.id} label="id" />
            </li>
          ))}
        </ol>
        {violation.eventIds.length > violation.evidence.length ? <p className="muted">{violation.eventIds.length - violation.evidence.length} more event id(s) cited.</p> : null}
      </details>
      {!violation.decision && violation.covered ? (
        <p className="decision decision-accepted">Covered by a rule accepted into the plan for another violation.</p>
      ) : violation.decision ? (
        <p className={`decision decision-${violation.decision.decision}`}>
          {violation.decision.decision === 'accepted' ? 'Accepted into the plan' : 'Marked suspicious'} by {violation.decision.by} at {shortTime(violation.decision.at)}: {violation.decision.reason}
        </p>
      ) : (
        <div className="decide">
          <label htmlFor={inputId}>Reason</label>
          <input id={inputId} type="text" value={reason} maxLength={1024} placeholder="why (recorded)" disabled={!mayDecide} onChange={(e) => setReason(e.currentTarget.value)} />
          <button type="button" disabled={disabled} onClick={() => setConfirming('accepted')}>Accept into plan…</button>
          <button type="button" className="ghost" disabled={disabled} onClick={() => setConfirming('suspicious')}>Mark suspicious…</button>
          {!mayDecide ? <p className="reason-disabled">{whyNot}</p> : null}
        </div>
      )}
      {confirming ? (
        <ConfirmDialog
          title={confirming === 'accepted' ? `Accept ${violation.what} into the plan` : `Mark ${violation.what} suspicious`}
          confirmLabel={confirming === 'accepted' ? 'Accept' : 'Mark suspicious'}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            onDecide(confirming, reason.trim());
          }}
        >
          <ul>
            {confirming === 'accepted' ? <li>{widens[violation.kind]}, justified by event {violation.eventIds[0]}</li> : <li>the plan stays as it is: once promoted it blocks this; the decision is kept for the story</li>}
            <li>the decision is recorded with your reason: “{reason.trim()}”</li>
          </ul>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}

export function ViolationList({ violations, mayDecide, whyNot, busy, onDecide }: { violations: AuditViolationView[]; mayDecide: boolean; whyNot: string; busy: boolean; onDecide(id: string, decision: Decision, reason: string): void }) {
  if (!violations.length) return <p className="replay-clean">No violation since the audit started: everything the workload did fits the plan.</p>;
  return (
    <ul className="violations">
      {violations.map((v) => (
        <ViolationItem key={v.id} violation={v} mayDecide={mayDecide} whyNot={whyNot} busy={busy} onDecide={(decision, reason) => onDecide(v.id, decision, reason)} />
      ))}
    </ul>
  );
}
