// Posture: for one workload, what it may do (declared: NetworkPolicies, RBAC, seccomp) against what it did (observed
// in the case), and its blast radius now and under the policies Vigil generates from its baseline.
import type { BlastRadius, WorkloadPosture } from '../../../../shared/model/workload-posture.js';
import { EmptyState } from '../../app/EmptyState.js';
import { linkTo, openPath, useRoutePath } from '../../app/use-route-path.js';
import { useCase } from '../../case/case-context.js';
import { useEngineQuery } from '../../engine/use-engine-query.js';
import { NeedsCase } from '../common/NeedsCase.js';
import { WorkloadPicker } from '../common/WorkloadPicker.js';

export function PostureView() {
  const { status } = useCase();
  const [workload] = useRoutePath();
  const choices = useEngineQuery({ type: 'workloads' }, 'workloads');
  const posture = useEngineQuery(workload ? { type: 'posture', workload } : null, `posture:${workload}`);
  if (status !== 'open') return <NeedsCase what="Posture" />;
  if (choices.status !== 'ready') return <p className="muted">{choices.status === 'error' ? choices.message : 'Reading the workloads…'}</p>;
  if (!choices.value.length)
    return <div data-view-ready><EmptyState title="No workload observed"><p>Posture compares what a workload may do with what it did; this case holds no event attributed to a workload.</p></EmptyState></div>;
  return (
    <div data-view-ready className="posture-view">
      <WorkloadPicker label="Workload" choices={choices.value} value={workload} byPod={false} onChange={(w) => openPath('posture', w)} />
      {!workload ? (
        <p className="muted">Choose a workload to compare what it may do with what it did.</p>
      ) : posture.status === 'loading' ? (
        <p className="muted">Computing the posture…</p>
      ) : posture.status === 'error' ? (
        <p role="alert">The posture of {workload} could not be computed: {posture.message}</p>
      ) : (
        <PostureDetails posture={posture.value} />
      )}
    </div>
  );
}

function Radius({ title, radius }: { title: string; radius: BlastRadius }) {
  return (
    <div className="radius">
      <h4>{title}</h4>
      <dl>
        <div><dt>Reachable services</dt><dd>{radius.reachableServices}</dd></div>
        <div><dt>Internet reachable</dt><dd>{radius.internetReachable ? 'yes' : 'no'}</dd></div>
        <div><dt>Readable secrets</dt><dd>{radius.readableSecrets}</dd></div>
        <div><dt>Identities</dt><dd>{radius.identities}</dd></div>
      </dl>
    </div>
  );
}

function List({ items, empty }: { items: string[]; empty: string }) {
  return items.length ? <ul className="plain-list" tabIndex={0}>{items.map((i) => <li key={i}><code>{i}</code></li>)}</ul> : <p className="muted">{empty}</p>;
}

function PostureDetails({ posture }: { posture: WorkloadPosture }) {
  return (
    <>
      <p className="muted">
        Baseline <strong>{posture.baselineState}</strong>
        {posture.pod ? <> · pod {posture.pod} · <a href={linkTo('policies', posture.pod)}>its generated policies</a> · <a href={linkTo('response', 'pod', posture.pod)}>respond</a></> : null}
      </p>
      <section className="panel" aria-labelledby="blast-title">
        <h3 id="blast-title">Blast radius</h3>
        <div className="radius-pair">
          <Radius title="Now" radius={posture.blastRadius.current} />
          <Radius title="With the generated policies" radius={posture.blastRadius.withGeneratedPolicies} />
        </div>
      </section>
      <div className="posture-grid">
        <section className="panel" aria-labelledby="net-title">
          <h3 id="net-title">Network</h3>
          <p>Egress {posture.network.egressRestricted ? 'restricted by a NetworkPolicy' : <strong>not restricted</strong>} · ingress {posture.network.ingressRestricted ? 'restricted' : <strong>not restricted</strong>}</p>
          <h4>May reach ({posture.network.reachableServices.length} services)</h4>
          <List items={posture.network.reachableServices} empty="No service in the inventory." />
          <h4>Did reach</h4>
          <List items={posture.network.usedDestinations} empty="No connection observed." />
        </section>
        <section className="panel" aria-labelledby="rbac-title">
          <h3 id="rbac-title">Kubernetes API (RBAC)</h3>
          <p>Service account {posture.rbac.serviceAccount ? <code>{posture.rbac.serviceAccount}</code> : 'unknown (not in the inventory)'}</p>
          <h4>Granted, never used ({posture.rbac.unused.length})</h4>
          <List items={posture.rbac.unused} empty="Every grant was used." />
          <h4>Used</h4>
          <List items={posture.rbac.used} empty="No API call observed." />
        </section>
        <section className="panel" aria-labelledby="sys-title">
          <h3 id="sys-title">System calls and files</h3>
          <p>Seccomp profile: <code>{posture.syscalls.seccompProfile}</code> · {posture.syscalls.used.length} syscalls used</p>
          <h4>Sensitive files read</h4>
          <List items={posture.files.sensitiveReads} empty="None." />
        </section>
      </div>
    </>
  );
}
