// One workload's ladder as four rungs: each reached rung says when and by whom (the latest time it was reached), the
// current one is marked. A rung left by a rollback or a stopped audit shows as reached earlier, not current.
// The history is in time order (shared/enforcement/ladder.ts).
import type { z } from 'zod';
import type { ladderSchema } from '../../../../shared/enforcement/enforcement-api.js';
import { ladderSteps } from '../../../../shared/enforcement/ladder.js';
import { shortTime, stepLabel } from './ladder-words.js';

type Ladder = z.infer<typeof ladderSchema>;

export function LadderSteps({ ladder, compact = false }: { ladder: Ladder; compact?: boolean }) {
  const currentIndex = ladderSteps.indexOf(ladder.step);
  return (
    <ol className={`ladder${compact ? ' ladder-compact' : ''}`} aria-label={`Enforcement ladder of ${ladder.workload}: ${stepLabel[ladder.step]}`}>
      {ladderSteps.map((step, index) => {
        const reached = [...ladder.history].reverse().find((h) => h.step === step);
        const state = index === currentIndex ? 'current' : index < currentIndex ? 'done' : 'ahead';
        return (
          <li key={step} className={`rung rung-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            <span className="rung-name">{stepLabel[step]}</span>
            {reached && state !== 'ahead' ? (
              <span className="rung-when">
                {shortTime(reached.at)} · {reached.by}
                {reached.seq !== undefined ? ` · log #${reached.seq}` : ''}
              </span>
            ) : (
              // A rung passed under an earlier baseline than the latest one has no time of its own here.
              <span className="rung-when muted">{compact ? '' : state === 'done' ? 'under an earlier baseline' : 'not yet'}</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
