// The verification of the open bundle in full: the signature and its key, every file changed, missing or extra,
// the action log's chain, and what the bundle is (case, export, clusters, what was left out).
import type { BundleReview } from '../../../../shared/api/contract.js';

function FileList({ label, files }: { label: string; files: string[] }) {
  if (!files.length) return null;
  return (
    <li>
      {label}: {files.map((f) => <span key={f} className="mono bundle-file">{f}</span>)}
    </li>
  );
}

export function VerificationPanel({ review }: { review: BundleReview }) {
  const v = review.verification;
  return (
    <section className={`panel verification ${review.verified ? 'verification-ok' : 'verification-bad'}`} aria-label="Verification" data-testid="verification">
      <h3>{review.verified ? '✓ The bundle verifies' : '⚠ The bundle does NOT verify: it is shown unverified'}</h3>
      <ul>
        <li>
          Signature: <strong>{v.signature.status}</strong> — {v.signature.message}
        </li>
        <li>
          Files: {v.filesChecked} checked against the signed statement
          {v.changed.length + v.missing.length + v.extra.length === 0 ? ', all match' : ''}
        </li>
        <FileList label="Changed" files={v.changed} />
        <FileList label="Missing" files={v.missing} />
        <FileList label="Extra" files={v.extra} />
        <li>
          Action log: <strong>{v.actionLog.status}</strong>
          {v.actionLog.entries !== undefined ? ` (${v.actionLog.entries} entries)` : ''}
          {v.actionLog.message ? ` — ${v.actionLog.message}` : ''}
        </li>
      </ul>
      {!review.verified ? (
        <ol className="verification-problems">
          {v.problems.map((p, i) => <li key={i}>{p}</li>)}
        </ol>
      ) : null}
      <p className="muted">
        Case <strong>{review.case.title}</strong> ({review.case.caseId}) · exported {review.case.exportedAt} by {review.case.exportedBy} with Vigil{' '}
        {review.case.toolVersion} · {review.case.eventCount.toLocaleString('en')} events
        {review.case.clusters.length ? ` · ${review.case.clusters.map((c) => c.context).join(', ')}` : ''} · bundle SHA-256{' '}
        <span className="mono">{review.sha256.slice(0, 16)}…</span>
      </p>
      {review.case.omitted.length ? (
        <p className="muted">Not in the bundle: {review.case.omitted.map((o) => `${o.path} (${o.reason})`).join('; ')}.</p>
      ) : null}
    </section>
  );
}
