// The list of stories, most severe first. Stories that arrive while the responder reads stay apart in a notice of
// fixed height until asked for, so nothing the responder is looking at moves.
import { useEffect, useRef, useState } from 'react';
import type { Story } from '../../../../shared/model/story.js';
import { EmptyState } from '../../app/EmptyState.js';
import { linkTo } from '../../app/use-route-path.js';
import { SeverityBadge } from '../common/SeverityBadge.js';
import { compareStories, keepPlace } from './story-order.js';
import { useVerdicts } from './story-review.js';

export function StoryList({ stories }: { stories: Story[] }) {
  const [shownIds, setShownIds] = useState<string[] | null>(null);
  const verdicts = useVerdicts();
  const firstLink = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (shownIds === null && stories.length) setShownIds([...stories].sort(compareStories).map((s) => s.id));
  }, [stories, shownIds]);
  const { shown, arrived } = keepPlace(shownIds ?? [], stories);

  if (!stories.length)
    return (
      <div data-view-ready>
        <EmptyState title="No story in this case">
          <p>
            The engine found no attack story in these events. Benign activity produces no story above <em>low</em>; the
            events are still in the <a href="#/timeline">Timeline</a> and the <a href="#/graph">Graph</a>.
          </p>
        </EmptyState>
      </div>
    );
  return (
    <section data-view-ready aria-label="Stories">
      <div className="arrivals" aria-live="polite">
        {arrived.length ? (
          <button type="button" className="ghost" onClick={() => setShownIds([...stories].sort(compareStories).map((s) => s.id))}>
            {arrived.length} new {arrived.length === 1 ? 'story' : 'stories'} — show
          </button>
        ) : (
          <span className="muted">{stories.length} {stories.length === 1 ? 'story' : 'stories'}, most severe first · <kbd>n</kbd> opens the next</span>
        )}
      </div>
      <table className="data-table story-table">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Score</th>
            <th scope="col">Story</th>
            <th scope="col">Steps</th>
            <th scope="col">First seen (UTC)</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((story, index) => (
            <tr key={story.id}>
              <td><SeverityBadge severity={story.severity} /></td>
              <td className="num">{story.score}</td>
              <td>
                <a ref={index === 0 ? firstLink : undefined} href={linkTo('stories', story.id)} className="story-link">
                  {story.title}
                </a>
              </td>
              <td className="num">{story.steps.length}</td>
              <td><time dateTime={story.firstSeen}>{story.firstSeen.replace('T', ' ').slice(0, 19)}</time></td>
              <td>{verdicts.get(story.id) ?? 'unreviewed'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
