// The confirmation before an enforcement step or decision: it names everything that will change, in order.
import { useEffect, useRef, type ReactNode } from 'react';

export function ConfirmDialog({ title, children, confirmLabel, onCancel, onConfirm }: { title: string; children: ReactNode; confirmLabel: string; onCancel(): void; onConfirm(): void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancel.current?.focus();
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="dialog-backdrop" onClick={onCancel}>
      <div className="dialog confirm" role="alertdialog" aria-modal="true" aria-labelledby="enforce-confirm-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="enforce-confirm-title">{title}?</h2>
        {children}
        <p className="muted">It is recorded in the hash-chained action log.</p>
        <div className="confirm-buttons">
          <button ref={cancel} type="button" className="ghost" onClick={onCancel}>Cancel</button>
          <button type="button" onClick={onConfirm}>{confirmLabel}</button>
        </div>
      </div>
    </div>
  );
}
