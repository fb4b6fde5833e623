// The auditor walkthrough of one story, as an ordered list of steps: the story in brief, what happened (each step
// with the events behind it), what the responder did and when (each action-log entry, with its place in the hash
// chain), which policy was applied and what the audit replays say it would have blocked, and the controls involved.
// Pure: built from the bundle's signed content only.
import type { BundleReview } from '../../../../shared/api/contract.js';
import { controlsInvolved, type ControlFinding } from '../../../../shared/evidence/compliance-map.js';

export type BundleStory = BundleReview['stories'][number];

/** An action-log entry as the walkthrough reads it; fields missing from a damaged entry show as unknown. */
export interface WalkthroughAction {
  seq: number;
  time: string;
  actor: string;
  action: string;
  target: string;
  pod: string;
  outcome: string;
  hash: string;
  prevHash: string;
  objects: { op: string; kind: string; name: string; namespace?: string; purpose: string; status: string }[];
  nodeStep: { mode: string; status: string; detail: string } | null;
  verified: boolean | null;
}

export type WalkthroughStep =
  | { kind: 'overview'; title: string; story: BundleStory }
  | { kind: 'event'; title: string; index: number; step: BundleStory['steps'][number] }
  | { kind: 'action'; title: string; action: WalkthroughAction }
  | { kind: 'no-action'; title: string }
  | { kind: 'policy'; title: string; applied: WalkthroughAction[]; policies: BundleReview['policies']; replays: BundleReview['replays'] }
  | { kind: 'controls'; title: string; controls: ControlFinding[] };

const str = (value: unknown, fallback = 'unknown') => (typeof value === 'string' && value !== '' ? value : fallback);

export function readAction(raw: Record<string, unknown>): WalkthroughAction {
  const target = (raw.target ?? {}) as Record<string, unknown>;
  const actor = (raw.actor ?? {}) as Record<string, unknown>;
  const node = raw.nodeStep as Record<string, unknown> | undefined;
  const verification = raw.verification as { ok?: unknown } | undefined;
  const pod = `${str(target.namespace, '?')}/${str(target.pod, '?')}`;
  return {
    seq: typeof raw.seq === 'number' ? raw.seq : -1,
    time: str(raw.time),
    actor: str(actor.username),
    action: str(raw.action),
    target: `${pod}${target.context ? ` in ${str(target.context)}` : ''}`,
    pod,
    outcome: str(raw.outcome),
    hash: str(raw.hash, ''),
    prevHash: str(raw.prevHash, ''),
    objects: Array.isArray(raw.objects)
      ? (raw.objects as Record<string, unknown>[]).map((o) => ({
          op: str(o.op), kind: str(o.kind), name: str(o.name), ...(typeof o.namespace === 'string' ? { namespace: o.namespace } : {}), purpose: str(o.purpose, ''), status: str(o.status),
        }))
      : [],
    nodeStep: node ? { mode: str(node.mode), status: str(node.status), detail: str(node.detail, '') } : null,
    verified: typeof verification?.ok === 'boolean' ? verification.ok : null,
  };
}

/** Quarantines and enforcement: the actions that apply a policy to a workload. */
export function appliesPolicy(action: WalkthroughAction): boolean {
  return /^(quarantine\.(soft|hard)|enforce\.(audit|promote))$/.test(action.action) && (action.outcome === 'applied' || action.outcome === 'unchanged');
}

export function buildWalkthrough(review: BundleReview, story: BundleStory): WalkthroughStep[] {
  const actions = review.actions.map(readAction).sort((a, b) => a.seq - b.seq);
  const steps: WalkthroughStep[] = [{ kind: 'overview', title: 'The story in brief', story }];
  story.steps.forEach((step, index) => steps.push({ kind: 'event', title: `What happened (${index + 1} of ${story.steps.length})`, index, step }));
  if (actions.length) for (const action of actions) steps.push({ kind: 'action', title: `What the responder did: ${action.action}`, action });
  else steps.push({ kind: 'no-action', title: 'What the responder did' });
  steps.push({ kind: 'policy', title: 'Policy applied and what it would have blocked', applied: actions.filter(appliesPolicy), policies: review.policies, replays: review.replays });
  steps.push({ kind: 'controls', title: 'Controls involved', controls: controlsInvolved(story.techniques, actions.map((a) => a.action)) });
  return steps;
}
