import { EmptyState } from '../app/EmptyState.js';

export function TimelineView() {
  return (
    <EmptyState title="Nothing on the timeline">
      <p>
        The timeline lays out every event of an entity or a story over time. Select a story in <a href="#/stories">Stories</a> or
        a node in the <a href="#/graph">Graph</a> to see its events here.
      </p>
    </EmptyState>
  );
}
