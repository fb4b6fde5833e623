// Response: contain a pod from a story, an entity or a workload. The target pods come from the route
// (`#/response/story/<id>`, `/workload/<ns/name>`, `/pod/<ns/pod>`); the cluster context from Clusters. Nothing is
// offered without a connected cluster, and every action starts with the server-side dry run.
import { useEffect, useMemo, useState } from 'react';
import type { Clusters } from '../../../../shared/api/contract.js';
import { EmptyState } from '../../app/EmptyState.js';
import { linkTo, useRoutePath } from '../../app/use-route-path.js';
import { useCase } from '../../case/case-context.js';
import { useEngineQuery } from '../../engine/use-engine-query.js';
import { apiClient } from '../../platform/api-client.js';
import { PodResponse } from './PodResponse.js';

type ContextChoice = Clusters['contexts'][number];

export function ResponseView() {
  const [scope, target] = useRoutePath();
  const { analysis, status } = useCase();
  const choices = useEngineQuery(status === 'open' ? { type: 'workloads' } : null, 'workloads');
  const [clusters, setClusters] = useState<{ contexts: ContextChoice[] } | { error: string } | null>(null);
  const [contextKey, setContextKey] = useState<string>('');
  useEffect(() => {
    apiClient()
      .call('clusters.list', {})
      .then(
        (c) => setClusters({ contexts: c.contexts }),
        (e: Error) => setClusters({ error: e.message }),
      );
  }, []);

  const story = analysis?.status === 'ready' && scope === 'story' ? analysis.stories.find((s) => s.id === target) : undefined;
  const pods = useMemo(() => {
    if (scope === 'pod' && target) return [target];
    const workloads = choices.status === 'ready' ? choices.value : [];
    const wanted = scope === 'workload' && target ? [target] : story ? story.entities.filter((e) => e.kind === 'workload').map((e) => e.id.replace(/^workload:/, '')) : [];
    return workloads.filter((w) => wanted.includes(w.workload)).flatMap((w) => w.pods);
  }, [scope, target, story, choices]);
  const workloadOf = (pod: string) => (choices.status === 'ready' ? choices.value.find((w) => w.pods.includes(pod))?.workload : undefined);

  // Every context is offered (a probe can time out on a busy machine); connected ones first, the others say why.
  const all = clusters && 'contexts' in clusters ? clusters.contexts : [];
  const connected = [...all].sort((a, b) => Number(b.connection.state === 'connected') - Number(a.connection.state === 'connected'));
  const context = connected.find((c) => `${c.source}:${c.id}` === contextKey) ?? connected[0];

  if (!clusters) return <p className="muted">Checking the clusters…</p>;
  if ('error' in clusters) return <p role="alert">The clusters could not be read: {clusters.error}</p>;
  if (!connected.length)
    return (
      <EmptyState title="Response needs a connected cluster" command="vigil lab up">
        <p>
          Quarantine and release act on a live cluster through your kubeconfig, with a server-side dry run first. No kubeconfig context was
          found — see <a href="#/clusters">Clusters</a>. Stories, the graph and the generated policies work without one.
        </p>
      </EmptyState>
    );
  return (
    <div data-view-ready className="response-view">
      <p className="response-context">
        <label>
          Cluster context{' '}
          <select value={context ? `${context.source}:${context.id}` : ''} onChange={(e) => setContextKey(e.currentTarget.value)}>
            {connected.map((c) => (
              <option key={`${c.source}:${c.id}`} value={`${c.source}:${c.id}`}>
                {c.name} ({c.source}, {c.user}){c.connection.state === 'connected' ? '' : ` — ${c.connection.state} at the last check`}
              </option>
            ))}
          </select>
        </label>
        {story ? <> · from the story <a href={linkTo('stories', story.id)}>{story.title}</a></> : null}
      </p>
      {!pods.length ? (
        <p className="muted">
          Open Response from a story, a workload in the graph or a pod in Posture to choose what to contain
          {scope ? ` (nothing in this case matches ${scope} ${target})` : ''}.
        </p>
      ) : (
        context && pods.map((pod) => <PodResponse key={`${context.id}:${pod}`} context={context} pod={pod} workload={workloadOf(pod)} />)
      )}
    </div>
  );
}
