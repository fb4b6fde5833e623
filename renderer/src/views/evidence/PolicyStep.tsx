// Which policy was applied, and what its audit replay says it would have blocked: the objects the responder's
// quarantine or enforcement applied, the bundle's own policies and replays when it has them, and otherwise the
// policies this Vigil generates from the bundle's events for the story's pod, each replayed over those events.
import { useEngineQuery } from '../../engine/use-engine-query.js';
import type { WalkthroughStep } from './walkthrough-steps.js';

type PolicyStepData = Extract<WalkthroughStep, { kind: 'policy' }>;

function replayCount(value: unknown): number | null {
  const blocked = (value as { blocked?: unknown })?.blocked;
  return Array.isArray(blocked) ? blocked.length : null;
}

function GeneratedReplays({ pod }: { pod: string }) {
  const outcomes = useEngineQuery({ type: 'policies', pod }, `policies:${pod}`);
  if (outcomes.status === 'loading') return <p className="muted">Generating the policies of {pod} from the bundle's events…</p>;
  if (outcomes.status === 'error') return <p role="alert">The policies could not be generated: {outcomes.message}</p>;
  return (
    <table className="walkthrough-table">
      <thead>
        <tr><th>Policy generated for {pod}</th><th>Audit replay over the bundle's events</th></tr>
      </thead>
      <tbody>
        {outcomes.value.map((o) => (
          <tr key={o.kind}>
            <td>{o.kind}</td>
            <td>
              {o.status === 'failed'
                ? `not generated: ${o.reason}`
                : `would have blocked ${o.replay.blocked.length} of ${o.replay.eventsConsidered} events${o.replay.blocked.length ? `: ${[...new Set(o.replay.blocked.map((b) => b.what))].slice(0, 4).join('; ')}` : ''}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PolicyStep({ step, pods }: { step: PolicyStepData; pods: string[] }) {
  const appliedObjects = step.applied.flatMap((a) => a.objects.filter((o) => o.status === 'applied' || o.status === 'unchanged').map((o) => ({ action: a, object: o })));
  return (
    <>
      <h5>Applied by the responder</h5>
      {appliedObjects.length ? (
        <ul>
          {appliedObjects.map(({ action, object }, i) => (
            <li key={i}>
              <span className="mono">{object.kind} {object.namespace ? `${object.namespace}/` : ''}{object.name}</span> — {object.purpose} ({action.action}, entry #{action.seq},{' '}
              {action.time})
            </li>
          ))}
        </ul>
      ) : (
        <p>No policy was applied through Vigil in this case.</p>
      )}
      <h5>What it would have blocked</h5>
      {step.replays.length ? (
        <ul>
          {step.replays.map((r) => (
            <li key={r.fileName}>
              <span className="mono">replays/{r.fileName}</span>: {replayCount(r.value) === null ? 'a replay of another shape (see the file)' : `would have blocked ${replayCount(r.value)} events`}
            </li>
          ))}
        </ul>
      ) : pods.length ? (
        <>
          <p className="muted">The bundle holds no audit replay, so this Vigil generates the least-privilege policies from the bundle's events and replays them:</p>
          {pods.slice(0, 2).map((pod) => <GeneratedReplays key={pod} pod={pod} />)}
        </>
      ) : (
        <p className="muted">The bundle holds no audit replay, and the story's pod is not known yet.</p>
      )}
      {step.policies.length ? (
        <details>
          <summary>{step.policies.length} policies in the bundle</summary>
          {step.policies.map((p) => (
            <div key={p.fileName}>
              <p className="mono">policies/{p.fileName}</p>
              <pre className="walkthrough-pre">{p.text}</pre>
            </div>
          ))}
        </details>
      ) : null}
    </>
  );
}
