import { EmptyState } from '../app/EmptyState.js';

export function StoriesView() {
  return (
    <EmptyState title="No attack stories" command="vigil scenario run indirect-prompt-injection-exfil">
      <p>
        Stories join related signals — a suspicious prompt, an unusual tool call, an unexpected connection — into one narrative
        with the evidence behind each step. None has been found in the data so far. In the lab, run an attack scenario:
      </p>
    </EmptyState>
  );
}
