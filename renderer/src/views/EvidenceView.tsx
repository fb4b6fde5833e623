// Evidence: open a signed bundle for offline review (verified first, then read-only) and walk an auditor through
// its story. With no bundle open it explains how to get one and offers to open one. An unverified bundle shows its
// problems first; a verified one leads with the walkthrough (its status stays in the banner above every view).
import { useState } from 'react';
import { EmptyState } from '../app/EmptyState.js';
import { useCase } from '../case/case-context.js';
import { BundleOpener } from './evidence/BundleOpener.js';
import { closeBundle, useBundleReview } from './evidence/bundle-client.js';
import { loadBundleCase } from './evidence/BundleFrame.js';
import { VerificationPanel } from './evidence/VerificationPanel.js';
import { Walkthrough } from './evidence/Walkthrough.js';
import './evidence/evidence.css';

export function EvidenceView() {
  const state = useBundleReview();
  const kase = useCase();
  const [closing, setClosing] = useState<string | null>(null);
  if (state.status === 'loading') return <p className="muted">Asking which evidence bundle is open…</p>;
  if (state.status === 'error') return <p role="alert">Vigil could not say which bundle is open: {state.message}</p>;
  if (state.status === 'none')
    return (
      <>
        <EmptyState title="No evidence bundle open" command="vigil serve --bundle case.vigil">
          <p>
            Open a signed evidence bundle (<code>vigil evidence export</code> writes one) to review it offline, read-only, with a guided auditor
            walkthrough. It is verified before it is shown — every file's SHA-256, the signature against the keys this Vigil trusts, the action
            log's hash chain: a bundle that does not verify opens marked <strong>unverified</strong>, a damaged or hostile one does not open.
          </p>
        </EmptyState>
        <BundleOpener />
      </>
    );
  const review = state.review;
  const bundleCaseOpen = kase.title?.includes(review.name) ?? false;
  return (
    <div className="evidence-view" data-view-ready>
      {review.verified ? null : <VerificationPanel review={review} />}
      <p className="evidence-actions">
        {!bundleCaseOpen && !kase.load ? (
          <button type="button" onClick={() => void loadBundleCase(review, () => undefined)}>
            Load the bundle's case into the workbench
          </button>
        ) : null}
        {review.openedBy === 'upload' ? (
          <button
            type="button"
            className="ghost"
            onClick={() => closeBundle().then(() => setClosing(null), (e: Error) => setClosing(e.message))}
          >
            Close the bundle (leave read-only review)
          </button>
        ) : (
          <span className="muted">Opened with <code>vigil serve --bundle</code>: it stays open until that host stops.</span>
        )}
        {closing ? <span role="alert">{closing}</span> : null}
      </p>
      <Walkthrough review={review} />
      {review.verified ? <VerificationPanel review={review} /> : null}
    </div>
  );
}
