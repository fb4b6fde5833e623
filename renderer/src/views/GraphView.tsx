import { EmptyState } from '../app/EmptyState.js';

export function GraphView() {
  return (
    <EmptyState title="No execution graph yet">
      <p>
        The graph shows what AI agents actually do: agent → tool → API → data → identity, drawn from the collector's events.
        Connect a cluster in <a href="#/clusters">Clusters</a> or open an evidence bundle in <a href="#/evidence">Evidence</a>.
      </p>
    </EmptyState>
  );
}
