import { EmptyState } from '../app/EmptyState.js';

export function PoliciesView() {
  return (
    <EmptyState title="No generated policies yet">
      <p>
        Once a workload's baseline is learned, Vigil generates a NetworkPolicy, a seccomp profile and a scoped RBAC Role from
        what it really did, and replays each over the recorded history before anything is enforced.
      </p>
    </EmptyState>
  );
}
