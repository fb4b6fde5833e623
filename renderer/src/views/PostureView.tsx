import { EmptyState } from '../app/EmptyState.js';

export function PostureView() {
  return (
    <EmptyState title="No posture to compare yet">
      <p>
        Posture compares what each workload is allowed to do (RBAC, network policies, syscalls) with what it was observed
        doing, and shows its blast radius. It needs a connected cluster and some observed activity.
      </p>
    </EmptyState>
  );
}
