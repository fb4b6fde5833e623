// What a response changes (or would change): each object with why it is touched, the server's dry-run verdict and
// the before/after diff; then the node-level step and the warnings (other policies that still allow traffic).
import type { ResponseRun } from '../../../../shared/api/contract.js';
import { lineDiff } from './line-diff.js';

const pretty = (value: unknown) => (value ? JSON.stringify(value, null, 2) : '');

export function ChangeList({ run }: { run: ResponseRun }) {
  const { entry } = run;
  return (
    <div className="change-list">
      <ol>
        {entry.objects.map((object, index) => {
          const verdict = entry.dryRun.objects.find((d) => d.kind === object.kind && d.name === object.name && d.op === object.op);
          return (
            <li key={`${object.kind}/${object.name}/${index}`}>
              <p>
                <strong>{object.op}</strong> {object.kind} <code>{object.namespace ? `${object.namespace}/` : ''}{object.name}</code> — {object.purpose}{' '}
                <span className={`status status-${object.status}`}>{object.status}</span>
                {verdict ? <span className={verdict.ok ? 'dry-ok' : 'dry-refused'}> · dry run {verdict.ok ? 'accepted' : `refused: ${verdict.error}`}</span> : null}
              </p>
              {object.error ? <p role="alert">{object.error}</p> : null}
              <details>
                <summary>Diff</summary>
                <pre className="diff" tabIndex={0}>
                  {lineDiff(pretty(object.before), pretty(object.after)).map((line, n) => (
                    <span key={n} className={line.op === '+' ? 'diff-add' : line.op === '-' ? 'diff-del' : undefined}>{`${line.op} ${line.text}\n`}</span>
                  ))}
                </pre>
              </details>
            </li>
          );
        })}
      </ol>
      {entry.nodeStep ? <p>Node-level step ({entry.nodeStep.mode}): <strong>{entry.nodeStep.status}</strong> — {entry.nodeStep.detail}</p> : null}
      {entry.warnings.length ? <ul className="warnings">{entry.warnings.map((w) => <li key={w}>{w}</li>)}</ul> : null}
    </div>
  );
}
