// Vigil's gateway: the contract's handlers wired to main's services. Both hosts (Electron and `vigil serve`) build it
// here, so a feature added to the contract is implemented once.
import os from 'node:os';
import { api } from '../../shared/api/contract.js';
import { Gateway } from './gateway.js';
import { VIGIL_VERSION } from '../version.js';
import { listClusters } from './clusters.js';
import { clusterCollectors } from './cluster-collectors.js';
import { responseAccess, responseRun } from './response.js';
import { followLabEvents } from './live-events.js';
import { enforcementAccessOf, enforcementAudit, enforcementDecide, enforcementOverview, enforcementPlan, enforcementPreview, enforcementRun } from './enforcement-handlers.js';
import { defaultReviewSession, evidenceHandlers, readOnlyAccess } from './evidence-review.js';
import { BundleUploads } from '../evidence/bundle-upload.js';
import type { ReviewSession } from '../evidence/review-session.js';

export interface HostContext {
  host: 'electron' | 'browser';
  readOnly: boolean;
  /** The evidence bundle under review (`vigil serve --bundle`); while one is open, the host is read-only. */
  review?: ReviewSession;
}

export function createAppGateway(context: HostContext): Gateway<typeof api> {
  const startedAt = new Date().toISOString();
  const review = context.review ?? defaultReviewSession();
  const readOnly = () => context.readOnly || review.readOnly;
  return new Gateway(api, {
    'app.info': async () => ({
      version: VIGIL_VERSION,
      host: context.host,
      platform: `${os.platform()}-${os.arch()}`,
      startedAt,
      readOnly: readOnly(),
    }),
    'clusters.list': () => listClusters(),
    'clusters.collectors': (request) => clusterCollectors(request),
    'live.events': (params, emit, signal) => followLabEvents(params, emit, signal),
    'response.access': async (request) => (readOnly() ? readOnlyAccess(request) : responseAccess(request)),
    'response.run': (request) => responseRun(request, readOnly()),
    'enforcement.overview': (request) => enforcementOverview(request),
    'enforcement.plan': (request) => enforcementPlan(request),
    'enforcement.audit': (request) => enforcementAudit(request),
    'enforcement.access': (request) => enforcementAccessOf(request, readOnly()),
    'enforcement.preview': (request) => enforcementPreview(request),
    'enforcement.run': (request) => enforcementRun(request, readOnly()),
    'enforcement.decide': (request) => enforcementDecide(request, readOnly()),
    ...evidenceHandlers(review, new BundleUploads()),
  });
}
