// One responder action of the walkthrough: who did what to which pod, when, with what outcome, every object it
// changed, the node-level step, and its place in the hash-chained action log.
import type { WalkthroughAction } from './walkthrough-steps.js';

export function ActionStep({ action, chainStatus }: { action: WalkthroughAction; chainStatus: 'intact' | 'broken' | 'absent' }) {
  return (
    <>
      <p>
        <time className="mono" dateTime={action.time}>{action.time}</time> — <strong>{action.actor}</strong> applied <strong>{action.action}</strong> to{' '}
        {action.target}: outcome <strong>{action.outcome}</strong>
        {action.verified === null ? '' : action.verified ? ', read back as intended' : ', NOT read back as intended'}.
      </p>
      {action.objects.length ? (
        <table className="walkthrough-table">
          <thead>
            <tr><th>Change</th><th>Object</th><th>Why</th><th>Status</th></tr>
          </thead>
          <tbody>
            {action.objects.map((o, i) => (
              <tr key={i}>
                <td>{o.op}</td>
                <td className="mono">{o.kind} {o.namespace ? `${o.namespace}/` : ''}{o.name}</td>
                <td>{o.purpose}</td>
                <td>{o.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {action.nodeStep ? (
        <p>
          Node-level step ({action.nodeStep.mode}): <strong>{action.nodeStep.status}</strong> — {action.nodeStep.detail}
        </p>
      ) : null}
      <p className="muted">
        Action log entry #{action.seq}: hash <span className="mono">{action.hash.slice(0, 16)}…</span>, chained to{' '}
        <span className="mono">{action.prevHash.slice(0, 16)}…</span>. The chain is <strong>{chainStatus}</strong>.
      </p>
    </>
  );
}
