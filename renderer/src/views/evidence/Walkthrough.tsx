// The auditor walkthrough: a guided, read-only pass over one story of the bundle, a step at a time (→ / ← or j / k).
// The incident's figures stay above the steps; each step shows its evidence.
import { useEffect, useMemo, useState } from 'react';
import type { BundleReview } from '../../../../shared/api/contract.js';
import { useCase } from '../../case/case-context.js';
import { useEngineQuery } from '../../engine/use-engine-query.js';
import { EventList } from '../common/EventList.js';
import { SeverityBadge } from '../common/SeverityBadge.js';
import { IncidentFigures } from './IncidentFigures.js';
import { buildWalkthrough, readAction, type BundleStory, type WalkthroughStep } from './walkthrough-steps.js';
import { PolicyStep } from './PolicyStep.js';
import { ActionStep } from './ActionStep.js';

function typingIn(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}

function StepBody({ step, review, story, pods }: { step: WalkthroughStep; review: BundleReview; story: BundleStory; pods: string[] }) {
  switch (step.kind) {
    case 'overview':
      return (
        <>
          <p>
            <SeverityBadge severity={story.severity} /> <strong>{story.title}</strong> · score {story.score} · {story.steps.length} steps
          </p>
          {story.techniques.length ? <p className="muted">Techniques: {story.techniques.join(', ')}</p> : null}
          <p className="walkthrough-narrative">{story.narrative}</p>
        </>
      );
    case 'event':
      return (
        <>
          <p>
            <time className="mono" dateTime={step.step.time}>{step.step.time}</time> — {step.step.summary}
          </p>
          <h4>Evidence: {step.step.eventIds.length} events</h4>
          <EventList ids={step.step.eventIds} />
        </>
      );
    case 'action':
      return <ActionStep action={step.action} chainStatus={review.verification.actionLog.status} />;
    case 'no-action':
      return <p>The bundle's action log holds no responder action: nothing was contained or changed through Vigil for this case.</p>;
    case 'policy':
      return <PolicyStep step={step} pods={pods} />;
    case 'controls':
      return (
        <>
          <p className="muted">
            An indicative mapping of this story's techniques and the responder's actions to the controls an auditor checks (the same mapping as the
            HTML report). It names the controls involved; it does not grade them.
          </p>
          <table className="walkthrough-table">
            <thead>
              <tr><th>Framework</th><th>Control</th><th>What it asks</th><th>Involved because of</th></tr>
            </thead>
            <tbody>
              {step.controls.map((c) => (
                <tr key={`${c.framework}|${c.id}`}>
                  <td>{c.framework}</td>
                  <td className="mono">{c.id}</td>
                  <td>{c.title}</td>
                  <td>{c.because.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      );
  }
}

export function Walkthrough({ review }: { review: BundleReview }) {
  const { analysis } = useCase();
  const [storyId, setStoryId] = useState(review.stories[0]?.id ?? '');
  const story = review.stories.find((s) => s.id === storyId) ?? review.stories[0];
  const steps = useMemo(() => (story ? buildWalkthrough(review, story) : []), [review, story]);
  const [index, setIndex] = useState(0);
  useEffect(() => setIndex(0), [storyId]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      if (event.key === 'ArrowRight' || event.key === 'j') {
        event.preventDefault();
        setIndex((i) => Math.min(steps.length - 1, i + 1));
      } else if (event.key === 'ArrowLeft' || event.key === 'k') {
        event.preventDefault();
        setIndex((i) => Math.max(0, i - 1));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [steps.length]);

  const derived = analysis?.status === 'ready' ? analysis.stories.find((s) => s.id === story?.id) : undefined;
  const signals = derived && analysis?.status === 'ready' ? analysis.signals.filter((s) => derived.signalIds.includes(s.id)) : null;
  const workloads = derived ? derived.entities.filter((e) => e.kind === 'workload').map((e) => e.id.replace(/^workload:/, '')) : [];
  const choices = useEngineQuery(derived ? { type: 'workloads' } : null, `workloads:${story?.id}:${derived ? 1 : 0}`);
  const pods = choices.status === 'ready' ? choices.value.filter((w) => workloads.includes(w.workload)).flatMap((w) => w.pods) : [];
  const actions = useMemo(() => review.actions.map(readAction), [review]);

  if (!story)
    return (
      <section className="panel" aria-label="Auditor walkthrough">
        <h3>Auditor walkthrough</h3>
        <p>This bundle holds no attack story{review.case.omitted.some((o) => o.path === 'stories.json') ? ' (stories.json was left out: see below)' : ''}: there is nothing to walk through.</p>
      </section>
    );
  const step = steps[Math.min(index, steps.length - 1)]!;
  const rederived = !derived
    ? analysis?.status === 'ready'
      ? 'not found among the stories this Vigil derives from the bundle\'s events'
      : 'waiting for the bundle\'s case to load'
    : derived.steps.length === story.steps.length && derived.steps.every((s, i) => s.summary === story.steps[i]!.summary && s.eventIds.join() === story.steps[i]!.eventIds.join())
      ? 'identical when re-derived by this Vigil from the bundle\'s events'
      : 'DIFFERENT when re-derived by this Vigil from the bundle\'s events';

  return (
    <section className="panel walkthrough" aria-label="Auditor walkthrough" data-testid="walkthrough">
      <div className="walkthrough-head">
        <h3>Auditor walkthrough</h3>
        {review.stories.length > 1 ? (
          <label>
            Story{' '}
            <select value={story.id} onChange={(e) => setStoryId(e.currentTarget.value)}>
              {review.stories.map((s) => (
                <option key={s.id} value={s.id}>{s.severity} · {s.title}</option>
              ))}
            </select>
          </label>
        ) : (
          <span className="muted">{story.title}</span>
        )}
      </div>
      <p className="muted" data-testid="rederived">The signed story is {rederived}.</p>
      <IncidentFigures story={story} signals={signals} actions={actions} workload={workloads[0] ?? null} pods={pods} />
      <ol className="walkthrough-progress" aria-label="Steps">
        {steps.map((s, i) => (
          <li key={i}>
            <button type="button" className={i === index ? 'small current' : 'small ghost'} aria-current={i === index ? 'step' : undefined} onClick={() => setIndex(i)} title={s.title}>
              {i + 1}
            </button>
          </li>
        ))}
      </ol>
      <article className="walkthrough-step" aria-live="polite" data-testid="walkthrough-step" data-step-kind={step.kind}>
        <h4>
          Step {index + 1} of {steps.length}: {step.title}
        </h4>
        <StepBody step={step} review={review} story={story} pods={pods} />
      </article>
      <div className="walkthrough-nav">
        <button type="button" onClick={() => setIndex((i) => Math.max(0, i - 1))} disabled={index === 0}>
          ← Previous
        </button>
        <span className="muted">
          <kbd>←</kbd> <kbd>→</kbd> or <kbd>k</kbd> <kbd>j</kbd> move between steps
        </span>
        <button type="button" onClick={() => setIndex((i) => Math.min(steps.length - 1, i + 1))} disabled={index === steps.length - 1}>
          Next →
        </button>
      </div>
    </section>
  );
}
