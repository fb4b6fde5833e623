// Policies: the least-privilege NetworkPolicy, seccomp profile and RBAC that Vigil generates from a pod's observed
// baseline, as text to copy or save, each with its audit replay over the case — exactly which recorded events it
// would have blocked — before anything is enforced.
import { EmptyState } from '../../app/EmptyState.js';
import { openPath, useRoutePath } from '../../app/use-route-path.js';
import { useCase } from '../../case/case-context.js';
import { useEngineQuery } from '../../engine/use-engine-query.js';
import { NeedsCase } from '../common/NeedsCase.js';
import { WorkloadPicker } from '../common/WorkloadPicker.js';
import { PolicyCard } from './PolicyCard.js';

export function PoliciesView() {
  const { status } = useCase();
  const [pod] = useRoutePath();
  const choices = useEngineQuery({ type: 'workloads' }, 'workloads');
  const policies = useEngineQuery(pod ? { type: 'policies', pod } : null, `policies:${pod}`);
  if (status !== 'open') return <NeedsCase what="Policies" />;
  if (choices.status !== 'ready') return <p className="muted">{choices.status === 'error' ? choices.message : 'Reading the workloads…'}</p>;
  if (!choices.value.length)
    return <div data-view-ready><EmptyState title="No workload observed"><p>Policies are generated from what a workload was seen doing; this case holds no event attributed to a workload.</p></EmptyState></div>;
  return (
    <div data-view-ready className="policies-view">
      <WorkloadPicker label="Pod" choices={choices.value} value={pod} byPod onChange={(p) => openPath('policies', p)} />
      {!pod ? (
        <p className="muted">Choose a pod: its NetworkPolicy, seccomp profile and RBAC are generated from its workload's baseline.</p>
      ) : policies.status === 'loading' ? (
        <p className="muted">Generating and replaying…</p>
      ) : policies.status === 'error' ? (
        <p role="alert">No policy could be generated for {pod}: {policies.message}</p>
      ) : (
        policies.value.map((outcome) => <PolicyCard key={outcome.kind} outcome={outcome} />)
      )}
    </div>
  );
}
