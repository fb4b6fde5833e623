import { EmptyState } from '../app/EmptyState.js';

export function EvidenceView() {
  return (
    <EmptyState title="No evidence bundle open" command="vigil evidence verify case.vigil">
      <p>
        Export the case as a signed evidence bundle that an auditor can verify offline, or open one to review it read-only with a
        guided walkthrough. A bundle is checked before it is shown:
      </p>
    </EmptyState>
  );
}
