import type { ReactNode } from 'react';

/** What a view shows before it has data: what the view is for and the next step to get data into it. */
export function EmptyState({ title, children, command }: { title: string; children: ReactNode; command?: string }) {
  return (
    <section className="empty-state" aria-label={title}>
      <h2>{title}</h2>
      <div className="empty-state-body">{children}</div>
      {command ? (
        <p>
          <code className="command">{command}</code>
        </p>
      ) : null}
    </section>
  );
}
