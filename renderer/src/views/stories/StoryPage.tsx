// One story: what happened in plain words, each step with the events it cites, the techniques by name, the entities
// involved, a timeline of the steps over the case's event density, and the responder's verdict and notes.
import { useEffect, useRef, useState } from 'react';
import type { Signal, Technique } from '../../../../shared/model/signal.js';
import type { Analysis } from '../../engine/engine-protocol.js';
import { EmptyState } from '../../app/EmptyState.js';
import { linkTo } from '../../app/use-route-path.js';
import { CopyId } from '../common/CopyId.js';
import { EventList } from '../common/EventList.js';
import { SeverityBadge } from '../common/SeverityBadge.js';
import { StoryTimeline } from './StoryTimeline.js';
import { StoryReview } from './StoryReview.js';

const frameworkName: Record<Technique['framework'], string> = {
  attack: 'MITRE ATT&CK',
  atlas: 'MITRE ATLAS',
  'owasp-llm': 'OWASP LLM Top 10 (2025)',
  'owasp-agentic': 'OWASP Agentic Top 10',
};

function techniquesOf(signals: Signal[], ids: string[]): Technique[] {
  const byId = new Map<string, Technique>();
  for (const signal of signals) for (const technique of signal.techniques) byId.set(technique.id, technique);
  return ids.map((id) => byId.get(id) ?? { framework: 'attack', id, name: '(name not in the catalogue)' });
}

export function StoryPage({ storyId: requestedId, analysis }: { storyId: string; analysis: Extract<Analysis, { status: 'ready' }> }) {
  // A story that merged into another lives on under the older story's id: the link (a note, a deep link, the page
  // open while it merged) follows it, and says so.
  const mergedInto = analysis.mergedStoryIds?.[requestedId];
  const storyId = mergedInto && analysis.stories.some((s) => s.id === mergedInto) ? mergedInto : requestedId;
  const story = analysis.stories.find((s) => s.id === storyId);
  const heading = useRef<HTMLHeadingElement>(null);
  const [openStep, setOpenStep] = useState<number | null>(null);
  useEffect(() => heading.current?.focus(), [storyId]);
  if (!story)
    return (
      <div data-view-ready>
        <EmptyState title={`No story ${storyId} in this case`}>
          <p>
            The link names a story this case does not hold (another case, or the story merged into another one). Back to{' '}
            <a href={linkTo('stories')}>all stories</a>.
          </p>
        </EmptyState>
      </div>
    );
  const signals = analysis.signals.filter((s) => story.signalIds.includes(s.id));
  return (
    <article className="story-page" data-view-ready aria-labelledby="story-title">
      <p className="breadcrumb">
        <a href={linkTo('stories')}>Stories</a> / <CopyId id={story.id} />
      </p>
      {storyId !== requestedId ? (
        <p className="muted" role="status">
          Story <code>{requestedId}</code> merged into this one as later events joined them.
        </p>
      ) : null}
      <h2 id="story-title" ref={heading} tabIndex={-1} className="story-title">
        <SeverityBadge severity={story.severity} /> {story.title}
      </h2>
      <p className="muted">
        Score {story.score} · {story.steps.length} steps · {story.firstSeen.replace('T', ' ').slice(0, 19)} → {story.lastSeen.replace('T', ' ').slice(0, 19)} UTC ·{' '}
        <a href={linkTo('graph', 'story', story.id)}>Show its path in the graph</a> ·{' '}
        <a href={linkTo('timeline', 'story', story.id)}>Its events on the timeline</a> ·{' '}
        <a href={linkTo('response', 'story', story.id)}>Respond</a>
      </p>
      <section aria-labelledby="narrative-title" className="panel">
        <h3 id="narrative-title">What happened</h3>
        <p className="narrative">{story.narrative}</p>
      </section>
      <section aria-labelledby="story-timeline-title" className="panel">
        <h3 id="story-timeline-title">Steps over the event density</h3>
        <StoryTimeline story={story} onSelectStep={setOpenStep} />
      </section>
      <div className="story-columns">
        <section aria-labelledby="steps-title" className="panel">
          <h3 id="steps-title">Steps</h3>
          <ol className="steps">
            {story.steps.map((step, index) => (
              <li key={`${step.signalId}-${index}`} id={`step-${index}`}>
                <details open={openStep === index} onToggle={(e) => e.currentTarget.open && setOpenStep(index)}>
                  <summary>
                    <time dateTime={step.time}>{step.time.slice(11, 19)}</time> {step.summary}{' '}
                    <span className="muted">({step.detector}, {step.eventIds.length} events)</span>
                  </summary>
                  {openStep === index ? <EventList ids={step.eventIds} /> : null}
                </details>
              </li>
            ))}
          </ol>
        </section>
        <aside className="story-side">
          <section aria-labelledby="techniques-title" className="panel">
            <h3 id="techniques-title">Techniques</h3>
            <ul className="techniques">
              {techniquesOf(signals, story.techniques).map((t) => (
                <li key={t.id}>
                  <code>{t.id}</code> {t.name} <span className="muted">· {frameworkName[t.framework]}</span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="entities-title" className="panel">
            <h3 id="entities-title">Entities</h3>
            <ul className="entities">
              {story.entities.map((entity) => (
                <li key={entity.id}>
                  <span className={`entity-kind kind-${entity.kind}`}>{entity.kind}</span>{' '}
                  <a href={linkTo('graph', 'node', entity.id)} title={entity.id}>{entity.label}</a>
                </li>
              ))}
            </ul>
          </section>
          <StoryReview story={story} />
        </aside>
      </div>
    </article>
  );
}
