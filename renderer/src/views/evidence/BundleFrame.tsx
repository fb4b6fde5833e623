// Every view, while an evidence bundle is open: the bundle's verification status stays visible above the view, and
// the bundle's case is loaded (once) through the ordinary case import, so stories, graph, timeline, inventory,
// posture and policies all show it.
import { useEffect, useRef, useState, type ComponentType } from 'react';
import type { BundleReview } from '../../../../shared/api/contract.js';
import { useCase, type CaseState } from '../../case/case-context.js';
import { caseDatabase } from '../../store/case-database.js';
import { bundleCaseFiles, loadedCaseOf, rememberLoadedCase, useBundleReview } from './bundle-client.js';
import './evidence.css';

/** The bundle whose case is being loaded, app-wide: views mount and unmount, the load happens once. */
let loading: string | null = null;
/** Bundles whose case was loaded (or found loaded) in this page: loaded automatically at most once. */
const attempted = new Set<string>();
/** The case state as last rendered by any view; a load outlives the view that started it. */
let latestCase: CaseState | null = null;

export function currentCase(): CaseState {
  if (!latestCase) throw new Error('no view has rendered the case yet');
  return latestCase;
}

async function bundleCaseExists(sha256: string): Promise<boolean> {
  const caseId = loadedCaseOf(sha256);
  return caseId !== null && (await caseDatabase().cases.get(caseId)) !== undefined;
}

/** Imports the bundle's case through the ordinary case import; resolves with the new case id, or null. */
export async function loadBundleCase(review: BundleReview, onLines: (lines: number) => void): Promise<string | null> {
  if (loading === review.sha256) return null;
  loading = review.sha256;
  try {
    const before = currentCase().caseId;
    const files = await bundleCaseFiles(review, onLines);
    await currentCase().importFiles(files);
    // importFiles reports failure through the case's error; a new case id means it worked.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const after = currentCase().caseId;
    if (!after || after === before || currentCase().error) return null;
    rememberLoadedCase(review.sha256, after);
    await caseDatabase().cases.update(after, { mode: 'bundle', title: `${review.case.title} (evidence bundle ${review.name})` });
    return after;
  } finally {
    loading = null;
  }
}

function useBundleCaseLoader(review: BundleReview | null): number | null {
  const kase = useCase();
  latestCase = kase;
  const [lines, setLines] = useState<number | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    if (!review || kase.status === 'opening' || kase.load || attempted.has(review.sha256)) return;
    attempted.add(review.sha256);
    void (async () => {
      if (await bundleCaseExists(review.sha256)) return;
      if (mounted.current) setLines(0);
      await loadBundleCase(review, (n) => mounted.current && setLines(n)).catch(() => null);
      if (mounted.current) setLines(null);
    })();
  }, [review?.sha256, kase.status, kase.load === null]);
  return lines;
}

export function shortKey(keyId: string | undefined): string {
  return keyId ? `${keyId.slice(0, 12)}…` : 'no key';
}

export function VerificationBanner({ review, loadingLines }: { review: BundleReview; loadingLines?: number | null }) {
  const v = review.verification;
  const loadNote = loadingLines !== null && loadingLines !== undefined ? ` · loading its case: ${loadingLines.toLocaleString('en')} events` : '';
  if (review.verified)
    return (
      <div className="bundle-banner bundle-verified" role="status" data-testid="bundle-status" data-verified="true">
        <strong>✓ Verified</strong> evidence bundle <span className="mono">{review.name}</span>: signed by trusted key{' '}
        <span className="mono" title={v.signature.keyId}>{shortKey(v.signature.keyId)}</span>, {v.filesChecked} files match, action log{' '}
        {v.actionLog.status}
        {v.actionLog.entries !== undefined ? ` (${v.actionLog.entries} entries)` : ''} · <strong>read-only</strong>
        {loadNote}
      </div>
    );
  return (
    <div className="bundle-banner bundle-unverified" role="alert" data-testid="bundle-status" data-verified="false">
      <strong>⚠ UNVERIFIED</strong> evidence bundle <span className="mono">{review.name}</span>: {v.problems[0] ?? 'it did not verify'}
      {v.problems.length > 1 ? ` (and ${v.problems.length - 1} more problems: see Evidence)` : ''}. Nothing in it can be trusted as signed ·{' '}
      <strong>read-only</strong>
      {loadNote}
    </div>
  );
}

/** Wraps a view so that, with a bundle open, its verification status is always on screen. */
export function withBundleFrame(View: ComponentType): ComponentType {
  function Framed() {
    const state = useBundleReview();
    const review = state.status === 'open' ? state.review : null;
    const lines = useBundleCaseLoader(review);
    return (
      <>
        {review ? <VerificationBanner review={review} loadingLines={lines} /> : null}
        <View />
      </>
    );
  }
  Framed.displayName = `WithBundleFrame(${View.displayName ?? View.name})`;
  return Framed;
}
