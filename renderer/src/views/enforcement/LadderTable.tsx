// Every workload Vigil has a baseline for, with its rung on the ladder (when and by whom), its audit and its blast
// radius; a row opens the workload's page.
import type { EnforcementOverview } from '../../../../shared/enforcement/enforcement-api.js';
import { linkTo } from '../../app/use-route-path.js';
import { LadderSteps } from './LadderSteps.js';

export function LadderTable({ workloads }: { workloads: EnforcementOverview['workloads'] }) {
  return (
    <table className="data-table ladder-table" aria-label="Enforcement ladder of every workload">
      <thead>
        <tr>
          <th scope="col">Workload</th>
          <th scope="col">Ladder (when · by whom)</th>
          <th scope="col">Audit</th>
          <th scope="col" className="num">Blast radius</th>
        </tr>
      </thead>
      <tbody>
        {workloads.map((w) => {
          const [namespace, name] = w.ladder.workload.split('/') as [string, string];
          return (
            <tr key={w.ladder.workload}>
              <th scope="row">
                <a href={linkTo('enforcement', namespace, name)}>{w.ladder.workload}</a>
                {w.isAiAgent ? <span className="badge ai-badge">AI agent</span> : null}
              </th>
              <td><LadderSteps ladder={w.ladder} compact /></td>
              <td>
                {w.audit ? (
                  <>
                    {w.audit.violations} violation(s), {w.audit.undecided} undecided
                    <br />
                    <span className={w.audit.gate.ready ? 'gate-ready' : 'muted'}>
                      {w.ladder.step === 'enforced' ? 'promoted' : w.audit.gate.ready ? 'ready to promote' : `window until ${w.audit.gate.windowEndsAt.slice(11, 16)} UTC`}
                    </span>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td className="num">{w.blastRadius ? `${w.blastRadius.before} → ${w.blastRadius.after}` : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
