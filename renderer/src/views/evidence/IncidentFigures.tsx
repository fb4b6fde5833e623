// The incident's figures, above every step of the walkthrough: time to detect, time to contain, and the blast
// radius of the story's workload before and after containment (definitions in incident-figures.ts).
import { useEffect, useState } from 'react';
import type { Signal } from '../../../../shared/model/signal.js';
import type { BlastRadius } from '../../../../shared/model/workload-posture.js';
import { engineClient } from '../../engine/engine-client.js';
import { useEngineQuery } from '../../engine/use-engine-query.js';
import { blastRadiusAfter, containmentOf, formatDuration, timeToContain, timeToDetect } from './incident-figures.js';
import type { BundleStory, WalkthroughAction } from './walkthrough-steps.js';

function radius(r: BlastRadius): string {
  return `${r.reachableServices} services${r.internetReachable ? ' + the internet' : ''}, ${r.readableSecrets} secrets, ${r.identities} identities`;
}

interface Props {
  story: BundleStory;
  signals: Signal[] | null;
  actions: WalkthroughAction[];
  workload: string | null;
  pods: string[];
}

/** The earliest time among the events the story cites (the first 1,000), once the bundle's case is loaded. */
function useEarliestCitedEvent(story: BundleStory, ready: boolean): string | null {
  const [earliest, setEarliest] = useState<string | null>(null);
  const ids = [...new Set(story.steps.flatMap((s) => s.eventIds))].slice(0, 1000);
  const key = `${story.id}:${ready}`;
  useEffect(() => {
    setEarliest(null);
    if (!ready || !ids.length) return;
    let live = true;
    engineClient()
      .request({ type: 'events-by-id', ids })
      .then((events) => live && setEarliest(events.map((e) => e.time).sort()[0] ?? null), () => undefined);
    return () => {
      live = false;
    };
  }, [key]);
  return earliest;
}

export function IncidentFigures({ story, signals, actions, workload, pods }: Props) {
  const earliest = useEarliestCitedEvent(story, signals !== null);
  const detect = timeToDetect(story, signals, earliest);
  const contain = timeToContain(story, actions, earliest);
  const posture = useEngineQuery(workload ? { type: 'posture', workload } : null, `posture:${workload}`);
  const containment = containmentOf(actions, pods);
  return (
    <dl className="incident-figures" data-testid="incident-figures">
      <div>
        <dt>Time to detect</dt>
        <dd>{formatDuration(detect.ms)}</dd>
        <dd className="muted">{detect.ms !== null ? `first evidence ${detect.firstEvidence?.slice(11, 23)} → first high-severity signal ${detect.detectedAt?.slice(11, 23)}` : detect.reason}</dd>
      </div>
      <div>
        <dt>Time to contain</dt>
        <dd>{formatDuration(contain.timeToContainMs)}</dd>
        <dd className="muted">{contain.firstContainment ? `first quarantine applied ${contain.firstContainment.slice(11, 23)}` : 'no quarantine was applied'}</dd>
      </div>
      <div>
        <dt>Blast radius before</dt>
        <dd>{posture.status === 'ready' ? radius(posture.value.blastRadius.current) : workload ? (posture.status === 'error' ? 'unknown' : '…') : 'unknown'}</dd>
        <dd className="muted">{workload ? `${workload}, under the policies in the bundle's inventory` : 'no workload known for this story yet'}</dd>
      </div>
      <div>
        <dt>Blast radius after</dt>
        <dd>{posture.status === 'ready' ? radius(blastRadiusAfter(posture.value, containment)) : '…'}</dd>
        <dd className="muted">{containment ? `with ${containment} applied` : 'not contained: unchanged'}</dd>
      </div>
    </dl>
  );
}
