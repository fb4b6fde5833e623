// The contract's evidence.* handlers (offline review of a bundle) and the read-only answer every response control
// gets while a bundle is open. Errors keep their meaning across the boundary: a refused bundle is a bad request
// that says why and that nothing was opened.
import type { z } from 'zod';
import { ApiError } from '../../shared/api/contract-kit.js';
import type { api, ResponseAccess } from '../../shared/api/contract.js';
import { BundleUploads, UploadError } from '../evidence/bundle-upload.js';
import { BundleRefusedError, ReviewSession } from '../evidence/review-session.js';
import { FileKeyStore } from '../evidence/keys.js';
import { resolveTrustedKeys } from '../evidence/trusted-keys.js';
import type { Handlers } from './gateway.js';

export const READ_ONLY_REASON = 'read-only evidence bundle: a bundle under review cannot change a cluster';

/** A review session trusting the local signing key (the one `vigil evidence export` signs with). */
export function defaultReviewSession(): ReviewSession {
  return new ReviewSession(() => resolveTrustedKeys([], new FileKeyStore()));
}

export function readOnlyAccess(request: { contextId: string }): ResponseAccess {
  const denied = { allowed: false, reason: READ_ONLY_REASON };
  return { context: request.contextId, user: 'read-only', soft: denied, hard: denied, release: denied };
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BundleRefusedError || error instanceof UploadError) throw new ApiError('bad-request', error.message);
    throw error;
  }
}

type EvidenceChannels = Pick<typeof api, 'evidence.review' | 'evidence.events' | 'evidence.upload-begin' | 'evidence.upload-chunk' | 'evidence.upload-open' | 'evidence.close'>;

export function evidenceHandlers(review: ReviewSession, uploads: BundleUploads): Handlers<EvidenceChannels> {
  return {
    'evidence.review': async () => review.review(),
    'evidence.events': async (_params, emit, signal) =>
      translated(async () => {
        for await (const chunk of review.eventChunks()) {
          if (signal.aborted) return;
          emit(chunk);
        }
      }),
    'evidence.upload-begin': (request) => translated(() => uploads.begin(request.name, request.size)),
    'evidence.upload-chunk': (request) => translated(async () => ({ received: await uploads.chunk(request.uploadId, request.offset, request.data) })),
    'evidence.upload-open': (request: z.output<EvidenceChannels['evidence.upload-open']['request']>) =>
      translated(async () => {
        const upload = await uploads.complete(request.uploadId);
        return review.open(upload.file, { name: upload.name, openedBy: 'upload', discard: upload.discard });
      }),
    'evidence.close': () => translated(async () => ({ closed: await review.close() })),
  };
}
