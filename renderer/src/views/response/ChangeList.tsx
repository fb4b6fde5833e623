// What a response changes (or would change): each object with why it is touched, the server's dry-run verdict and
// the before/after diff; then the node-level step and the warnings (other policies that still allow traffic).
import type { ResponseRun } from '../../../../shared/api/contract.js';
import { lineDiff } from './line-diff.js';
import { plannedChanges } from './planned-changes.js';

const pretty = (value: unknown) => (value ? JSON.stringify(value, null, 2) : '');

export function ChangeList({ run }: { run: ResponseRun }) {
  const { entry } = run;
  return (
    <div className="change-list">
      <ol>
        {plannedChanges(entry).map((change, index) => (
          <li key={`${change.kind}/${change.name}/${index}`}>
            <p>
              <strong>{change.op}</strong> {change.kind} <code>{change.namespace ? `${change.namespace}/` : ''}{change.name}</code> — {change.purpose}{' '}
              {/* In a dry run nothing is attempted by design: the server's verdict beside it says all there is. */}
              {entry.outcome === 'dry-run' ? null : <span className={`status status-${change.status}`}>{change.status}</span>}
              {change.dryRun ? <span className={change.dryRun.ok ? 'dry-ok' : 'dry-refused'}> · dry run {change.dryRun.ok ? 'accepted' : `refused: ${change.dryRun.error}`}</span> : null}
            </p>
            {change.error ? <p role="alert">{change.error}</p> : null}
            {change.before || change.after ? (
              <details>
                <summary>Diff</summary>
                <pre className="diff" tabIndex={0}>
                  {lineDiff(pretty(change.before), pretty(change.after)).map((line, n) => (
                    <span key={n} className={line.op === '+' ? 'diff-add' : line.op === '-' ? 'diff-del' : undefined}>{`${line.op} ${line.text}\n`}</span>
                  ))}
                </pre>
              </details>
            ) : null}
          </li>
        ))}
      </ol>
      {entry.nodeStep ? <p>Node-level step ({entry.nodeStep.mode}): <strong>{entry.nodeStep.status}</strong> — {entry.nodeStep.detail}</p> : null}
      {entry.warnings.length ? <ul className="warnings">{entry.warnings.map((w) => <li key={w}>{w}</li>)}</ul> : null}
    </div>
  );
}
