// The evidence bundle under review, as the renderer knows it: one shared record of what main has open (verified
// first, on main's side), the upload of a bundle the user picked, and the bundle's content turned into the files
// the case import already reads — so a bundle's case goes through the same validation, store and engine as any
// other case, and every view shows it.
import { useSyncExternalStore } from 'react';
import type { BundleReview } from '../../../../shared/api/contract.js';
import { apiClient } from '../../platform/api-client.js';

export type ReviewState = { status: 'loading' } | { status: 'none' } | { status: 'open'; review: BundleReview } | { status: 'error'; message: string };

let state: ReviewState = { status: 'loading' };
const listeners = new Set<() => void>();
let asked = false;

function set(next: ReviewState): void {
  state = next;
  for (const listener of listeners) listener();
}

export async function refreshReview(): Promise<ReviewState> {
  asked = true;
  try {
    const review = await apiClient().call('evidence.review', {});
    set(review ? { status: 'open', review } : { status: 'none' });
  } catch (error) {
    set({ status: 'error', message: (error as Error).message });
  }
  return state;
}

/** What main has open, shared by every view (asked once, then kept up to date by upload and close). */
export function useBundleReview(): ReviewState {
  if (!asked) void refreshReview();
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/** Sends a bundle the user picked to main in pieces, then has main verify and open it. Throws main's refusal as is. */
export async function uploadBundle(file: File, onProgress: (sent: number, total: number) => void): Promise<BundleReview> {
  const { uploadId, maxChunkBytes } = await apiClient().call('evidence.upload-begin', { name: file.name, size: file.size });
  let offset = 0;
  while (offset < file.size) {
    const piece = new Uint8Array(await file.slice(offset, offset + maxChunkBytes).arrayBuffer());
    const { received } = await apiClient().call('evidence.upload-chunk', { uploadId, offset, data: toBase64(piece) });
    offset = received;
    onProgress(offset, file.size);
  }
  const review = await apiClient().call('evidence.upload-open', { uploadId });
  set({ status: 'open', review });
  return review;
}

export async function closeBundle(): Promise<void> {
  await apiClient().call('evidence.close', {});
  set({ status: 'none' });
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The bundle's case as the files the case import reads: its events (NDJSON, streamed from main in chunks) named
 * after the bundle, and its inventory snapshots as `inventory.json` when it has any.
 */
export function bundleCaseFiles(review: BundleReview, onLines: (lines: number) => void): Promise<File[]> {
  return new Promise((resolve, reject) => {
    const parts: string[] = [];
    let lines = 0;
    apiClient().subscribe(
      'evidence.events',
      {},
      (item) => {
        parts.push(item.ndjson);
        lines += item.lines;
        onLines(lines);
      },
      (error) => {
        if (error) {
          reject(error);
          return;
        }
        const files = [new File(parts, review.name, { type: 'application/x-ndjson' })];
        if (review.inventory.length) files.push(new File([JSON.stringify(review.inventory)], 'inventory.json', { type: 'application/json' }));
        resolve(files);
      },
    );
  });
}

const CASE_KEY_PREFIX = 'vigil.bundle-case.';

/** The case a bundle was loaded into before (by the bundle's SHA-256), so a reload does not import it twice. */
export function loadedCaseOf(sha256: string): string | null {
  try {
    return localStorage.getItem(CASE_KEY_PREFIX + sha256);
  } catch {
    return null;
  }
}

export function rememberLoadedCase(sha256: string, caseId: string): void {
  try {
    localStorage.setItem(CASE_KEY_PREFIX + sha256, caseId);
  } catch {
    // Private mode or a full store: the bundle is imported again next time, which is correct, only slower.
  }
}
