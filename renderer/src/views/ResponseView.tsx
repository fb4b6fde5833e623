import { EmptyState } from '../app/EmptyState.js';

export function ResponseView() {
  return (
    <EmptyState title="No response actions">
      <p>
        Soft quarantine limits a pod to its observed baseline; hard quarantine cuts it off and revokes its identity. Each is
        dry-run on the server first, recorded in a hash-chained action log, and reversible. Start from a story or a workload.
      </p>
    </EmptyState>
  );
}
