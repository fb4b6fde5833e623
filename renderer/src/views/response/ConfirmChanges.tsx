// The confirmation before anything is applied: it names every object that will change, in the words of the plan.
import { useEffect, useRef } from 'react';
import type { ResponseRun } from '../../../../shared/api/contract.js';
import { plannedChanges } from './planned-changes.js';

export function ConfirmChanges({ title, run, onCancel, onConfirm }: { title: string; run: ResponseRun; onCancel(): void; onConfirm(): void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancel.current?.focus();
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="dialog-backdrop" onClick={onCancel}>
      <div className="dialog confirm" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="confirm-title">{title}?</h2>
        <p>This will change, in this order:</p>
        <ul>
          {plannedChanges(run.entry).map((o, i) => (
            <li key={i}><strong>{o.op}</strong> {o.kind} <code>{o.namespace ? `${o.namespace}/` : ''}{o.name}</code> — {o.purpose}</li>
          ))}
          {run.entry.nodeStep ? <li>node-level: {run.entry.nodeStep.mode} for {run.entry.nodeStep.containerIds.length} containers</li> : null}
        </ul>
        <p className="muted">It is logged in the hash-chained action log, and can be released.</p>
        <div className="confirm-buttons">
          <button ref={cancel} type="button" className="ghost" onClick={onCancel}>Cancel</button>
          <button type="button" onClick={onConfirm}>Apply</button>
        </div>
      </div>
    </div>
  );
}
