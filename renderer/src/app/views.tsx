import type { ComponentType } from 'react';
import type { ViewRoute } from './routes.js';
import { ClustersView } from '../views/clusters/ClustersView.js';
import { GraphView } from '../views/graph/GraphView.js';
import { StoriesView } from '../views/stories/StoriesView.js';
import { TimelineView } from '../views/timeline/TimelineView.js';
import { PostureView } from '../views/posture/PostureView.js';
import { PoliciesView } from '../views/policies/PoliciesView.js';
import { ResponseView } from '../views/response/ResponseView.js';
import { EvidenceView } from '../views/EvidenceView.js';
import { InventoryView } from '../views/inventory/InventoryView.js';
import { EnforcementView } from '../views/enforcement/EnforcementView.js';
import { withBundleFrame } from '../views/evidence/BundleFrame.js';

const views: Record<ViewRoute['id'], ComponentType> = {
  clusters: ClustersView,
  graph: GraphView,
  stories: StoriesView,
  timeline: TimelineView,
  posture: PostureView,
  policies: PoliciesView,
  response: ResponseView,
  evidence: EvidenceView,
  inventory: InventoryView,
  enforcement: EnforcementView,
};

/** Each view under the evidence bundle's frame: with a bundle open, its verification status is always visible. */
export const viewComponents = Object.fromEntries(Object.entries(views).map(([id, view]) => [id, withBundleFrame(view)])) as Record<ViewRoute['id'], ComponentType>;
