// Stories in the order a responder works them: most severe first, then highest score, then most recent.
import { severityRank } from '../../../../shared/model/signal.js';
import type { Story } from '../../../../shared/model/story.js';

export function compareStories(a: Story, b: Story): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    b.score - a.score ||
    (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Keeps the responder's place: stories already shown keep their position; stories that arrived since are held apart
 * until the responder chooses to show them. Returns the shown list (in the held order, with updated contents) and
 * the new ones.
 */
export function keepPlace(shownIds: readonly string[], stories: readonly Story[]): { shown: Story[]; arrived: Story[] } {
  const byId = new Map(stories.map((s) => [s.id, s]));
  const shown = shownIds.flatMap((id) => {
    const story = byId.get(id);
    return story ? [story] : [];
  });
  const held = new Set(shownIds);
  const arrived = stories.filter((s) => !held.has(s.id)).sort(compareStories);
  return { shown, arrived };
}
