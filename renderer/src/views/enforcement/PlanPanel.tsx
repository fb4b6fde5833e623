// The plan of one workload: the blast radius before and after, each generated policy (its objects, why each rule is
// there, and the audit replay over the recorded history: what it would have blocked).
import type { EnforcementPlanView } from '../../../../shared/enforcement/enforcement-api.js';

const kindLabel = { networkpolicy: 'NetworkPolicy', seccomp: 'Seccomp profile', rbac: 'RBAC Role and binding' } as const;
type Radius = EnforcementPlanView['blastRadius']['before'];

function RadiusRow({ label, before, after }: { label: string; before: number | string; after: number | string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{before}</td>
      <td className="num">{after}</td>
    </tr>
  );
}

function BlastRadius({ before, after }: { before: Radius; after: Radius }) {
  const yesNo = (b: boolean) => (b ? 'yes' : 'no');
  return (
    <table className="data-table radius-table" aria-label="Blast radius before and after">
      <thead>
        <tr><th scope="col">Blast radius</th><th scope="col" className="num">Now</th><th scope="col" className="num">With the plan</th></tr>
      </thead>
      <tbody>
        <RadiusRow label="Reachable services" before={before.reachableServices} after={after.reachableServices} />
        <RadiusRow label="Readable secrets" before={before.readableSecrets} after={after.readableSecrets} />
        <RadiusRow label="Identities" before={before.identities} after={after.identities} />
        <RadiusRow label="Internet reachable" before={yesNo(before.internetReachable)} after={yesNo(after.internetReachable)} />
      </tbody>
    </table>
  );
}

export function PlanPanel({ plan }: { plan: EnforcementPlanView }) {
  return (
    <section className="panel plan-panel" aria-label="Plan">
      <h3>Plan</h3>
      <p className="muted">
        {plan.source === 'audited' ? 'The plan under audit (accepted violations widened it)' : 'Generated now from the baseline'} of pod {plan.pod}; baseline {plan.baseline.state} ({plan.baseline.eventCount} events, ready at {plan.baseline.readyAt.slice(0, 19).replace('T', ' ')} UTC).
      </p>
      <BlastRadius before={plan.blastRadius.before} after={plan.blastRadius.after} />
      <div className="plan-policies">
        {(['networkpolicy', 'seccomp', 'rbac'] as const).map((kind) => {
          const policy = plan.policies[kind];
          const replay = plan.replays[kind];
          return (
            <article key={kind} className="plan-policy" aria-label={kindLabel[kind]}>
              <h4>{kindLabel[kind]}</h4>
              <p>{policy.objects.map((o) => `${o.kind} ${o.metadata.name}`).join(', ') || 'no object'}</p>
              <p className={replay.blocked.length ? 'replay-blocked' : 'replay-clean'}>
                Replay over the recorded history: {replay.blocked.length} of {replay.eventsConsidered} events would have been blocked
              </p>
              {replay.blocked.length ? (
                <ul className="blocked-list">{replay.blocked.slice(0, 5).map((b) => <li key={b.eventId}>{b.what}</li>)}</ul>
              ) : null}
              <details>
                <summary>Why each rule ({policy.justification.length})</summary>
                <ul className="plain-list">{policy.justification.map((j) => <li key={j.rule}>{j.rule}{j.eventIds.length ? <span className="muted"> · {j.eventIds.length} event(s)</span> : null}</li>)}</ul>
              </details>
              <details>
                <summary>Objects</summary>
                <pre className="policy-text" tabIndex={0}>{policy.objects.map((o) => JSON.stringify(o, null, 2)).join('\n---\n')}</pre>
              </details>
            </article>
          );
        })}
      </div>
      {plan.warnings.length ? <ul className="warnings">{plan.warnings.map((w) => <li key={w}>{w}</li>)}</ul> : null}
    </section>
  );
}
