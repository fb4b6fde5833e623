// The figures a security lead reports: the share of workloads and of AI agents under enforced, evidence-based
// policies, how many are in audit, and the cluster's blast radius now and with the enforced workloads at their plans.
import type { EnforcementOverview } from '../../../../shared/enforcement/enforcement-api.js';
import { percent } from './ladder-words.js';

export function CoverageFigures({ coverage }: { coverage: EnforcementOverview['coverage'] }) {
  const { workloads, aiAgents, blastRadius } = coverage;
  const reduction = blastRadius.before > 0 ? 1 - blastRadius.after / blastRadius.before : 0;
  return (
    <section className="panel coverage" aria-label="Coverage">
      <h3>Coverage</h3>
      <dl className="coverage-figures">
        <div>
          <dt>Workloads enforced</dt>
          <dd><strong>{percent(workloads.share)}</strong> <span className="muted">{workloads.enforced} of {workloads.total} · {workloads.inAudit} in audit</span></dd>
        </div>
        <div>
          <dt>AI agents enforced</dt>
          <dd><strong>{percent(aiAgents.share)}</strong> <span className="muted">{aiAgents.enforced} of {aiAgents.total} · {aiAgents.inAudit} in audit</span></dd>
        </div>
        <div>
          <dt>Cluster blast radius</dt>
          <dd><strong>{blastRadius.before} → {blastRadius.after}</strong> <span className="muted">{blastRadius.before > 0 ? `${percent(reduction)} smaller` : 'nothing reachable'}</span></dd>
        </div>
      </dl>
      <p className="muted coverage-summary">{coverage.summary}. Blast radius counts reachable services, readable secrets, identities and internet reach; enforced workloads count at their plan.</p>
    </section>
  );
}
