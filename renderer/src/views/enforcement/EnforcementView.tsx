// Enforcement: the observe → audit → enforce ladder of every workload, against a live cluster. `#/enforcement` shows
// the coverage and every workload's rung (when, by whom); `#/enforcement/<namespace>/<workload>` one workload's plan,
// audit and steps. The cluster context comes from Clusters; credentials and the action log stay in main.
import { useEffect, useState } from 'react';
import type { Clusters } from '../../../../shared/api/contract.js';
import { EmptyState } from '../../app/EmptyState.js';
import { useRoutePath } from '../../app/use-route-path.js';
import { apiClient } from '../../platform/api-client.js';
import { CoverageFigures } from './CoverageFigures.js';
import { LadderTable } from './LadderTable.js';
import { WorkloadEnforcement } from './WorkloadEnforcement.js';
import { useApiCall } from './use-api-call.js';
import './enforcement.css';

type ContextChoice = Clusters['contexts'][number];

export function EnforcementView() {
  const [namespace, name] = useRoutePath();
  const workload = namespace && name ? `${namespace}/${name}` : undefined;
  const [clusters, setClusters] = useState<{ contexts: ContextChoice[] } | { error: string } | null>(null);
  const [contextKey, setContextKey] = useState('');
  useEffect(() => {
    apiClient()
      .call('clusters.list', {})
      .then(
        (c) => setClusters({ contexts: c.contexts }),
        (e: Error) => setClusters({ error: e.message }),
      );
  }, []);
  const all = clusters && 'contexts' in clusters ? clusters.contexts : [];
  const choices = [...all].sort((a, b) => Number(b.connection.state === 'connected') - Number(a.connection.state === 'connected'));
  const context = choices.find((c) => `${c.source}:${c.id}` === contextKey) ?? choices[0];
  const overview = useApiCall(context ? () => apiClient().call('enforcement.overview', { contextId: context.id, source: context.source }) : null, context ? `${context.source}:${context.id}` : '');

  if (!clusters) return <p className="muted">Checking the clusters…</p>;
  if ('error' in clusters) return <p role="alert">The clusters could not be read: {clusters.error}</p>;
  if (!context)
    return (
      <div data-view-ready>
        <EmptyState title="Enforcement needs a connected cluster" command="vigil lab up">
          <p>
            The ladder runs on a live cluster: a workload's plan is generated from its observed baseline, audited without blocking, then promoted.
            No kubeconfig context was found — see <a href="#/clusters">Clusters</a>.
          </p>
        </EmptyState>
      </div>
    );
  return (
    <div data-view-ready className="enforcement-view">
      <p className="response-context">
        <label>
          Cluster context{' '}
          <select value={`${context.source}:${context.id}`} onChange={(e) => setContextKey(e.currentTarget.value)}>
            {choices.map((c) => (
              <option key={`${c.source}:${c.id}`} value={`${c.source}:${c.id}`}>
                {c.name} ({c.source}, {c.user}){c.connection.state === 'connected' ? '' : ` — ${c.connection.state} at the last check`}
              </option>
            ))}
          </select>
        </label>
      </p>
      {workload ? (
        <WorkloadEnforcement key={`${context.source}:${context.id}:${workload}`} context={context} workload={workload} onChanged={overview.reload} />
      ) : overview.status === 'loading' ? (
        <p className="muted" role="status">Reading the evidence and every workload's ladder…</p>
      ) : overview.status === 'error' ? (
        <p role="alert">The ladder could not be read in {context.name}: {overview.message}</p>
      ) : (
        <>
          <CoverageFigures coverage={overview.value.coverage} />
          {overview.value.gaps.length ? <ul className="warnings">{overview.value.gaps.map((g) => <li key={g}>{g}</li>)}</ul> : null}
          {overview.value.workloads.length ? (
            <LadderTable workloads={overview.value.workloads} />
          ) : (
            <p className="muted">No workload has been observed yet: the ladder starts once the collector has seen a workload do something.</p>
          )}
          <p className="muted">As {overview.value.user} in {overview.value.context}, at {overview.value.computedAt.slice(11, 19)} UTC. Open a workload to see its plan, its audit and the steps you may take.</p>
        </>
      )}
    </div>
  );
}
