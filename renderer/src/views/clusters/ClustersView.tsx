// Clusters: every kubeconfig context (and the lab's) with its live connection state, the lab collector's health,
// its loss and attribution counters, the collectors of a chosen context per node, and what the open case holds.
import { useCallback, useEffect, useState } from 'react';
import type { Clusters } from '../../../../shared/api/contract.js';
import { EmptyState } from '../../app/EmptyState.js';
import { useCase } from '../../case/case-context.js';
import { apiClient } from '../../platform/api-client.js';
import { NodeCollectors } from './NodeCollectors.js';

type Load = { status: 'loading' } | { status: 'ready'; clusters: Clusters } | { status: 'error'; message: string };

function connectionText(connection: Clusters['contexts'][number]['connection']): string {
  return connection.state === 'connected' ? `connected · ${connection.version} · ${connection.latencyMs} ms` : `${connection.state}: ${connection.message}`;
}

export function ClustersView() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const refresh = useCallback(() => {
    setLoad({ status: 'loading' });
    apiClient()
      .call('clusters.list', {})
      .then(
        (clusters) => setLoad({ status: 'ready', clusters }),
        (error: Error) => setLoad({ status: 'error', message: error.message }),
      );
  }, []);
  useEffect(refresh, [refresh]);

  return (
    <div data-view-ready className="clusters-view">
      <p className="muted clusters-toolbar">
        <button type="button" className="ghost small" onClick={refresh} disabled={load.status === 'loading'}>
          {load.status === 'loading' ? 'Checking…' : 'Check again'}
        </button>{' '}
        {load.status === 'ready' ? `checked ${load.clusters.checkedAt.replace('T', ' ').slice(0, 19)} UTC` : null}
      </p>
      {load.status === 'error' ? <p role="alert">The contexts could not be read: {load.message}. Nothing was changed.</p> : null}
      {load.status === 'ready' ? <ClusterTables clusters={load.clusters} /> : null}
      <CaseCounts />
    </div>
  );
}

function ClusterTables({ clusters }: { clusters: Clusters }) {
  return (
    <>
      {clusters.contexts.length ? (
        <table className="data-table" aria-label="Kubernetes contexts">
          <thead>
            <tr><th scope="col">Context</th><th scope="col">Source</th><th scope="col">Server</th><th scope="col">User</th><th scope="col">Connection</th></tr>
          </thead>
          <tbody>
            {clusters.contexts.map((c) => (
              <tr key={`${c.source}:${c.id}`}>
                <td><strong>{c.name}</strong>{c.current ? <span className="muted"> (current)</span> : null}{c.namespace ? <div className="muted">namespace {c.namespace}</div> : null}</td>
                <td>{c.source === 'lab' ? 'lab' : <span title={c.file}>kubeconfig</span>}</td>
                <td><code>{c.server}</code></td>
                <td>{c.user} <span className="muted">({c.auth})</span></td>
                <td className={`connection connection-${c.connection.state}`}>{connectionText(c.connection)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <EmptyState title="No cluster connected yet" command="vigil lab up">
          <p>
            Vigil reads the contexts of your kubeconfig files (<code>KUBECONFIG</code> or <code>~/.kube/config</code>) and found none. On Linux
            as root, the command below starts a local lab cluster with AI agents to explore.
          </p>
        </EmptyState>
      )}
      {clusters.problems.length ? (
        <section className="panel" aria-label="Kubeconfig problems">
          <h2 className="panel-title">Kubeconfig problems</h2>
          <ul>{clusters.problems.map((p, i) => <li key={i}><code>{p.file}</code>{p.context ? ` (${p.context})` : ''}: {p.message}</li>)}</ul>
        </section>
      ) : null}
      <section className="panel" aria-label="Collector">
        <h2 className="panel-title">Collector</h2>
        {!clusters.collector ? (
          <p className="muted">The lab is not up. Collectors of your clusters are found per node below.</p>
        ) : clusters.collector.state !== 'healthy' ? (
          <p className="connection-error">{clusters.collector.state}{clusters.collector.url ? ` at ${clusters.collector.url}` : ''}: {clusters.collector.message}</p>
        ) : (
          <>
            <p>
              <strong>healthy</strong> · node {clusters.collector.node} · {clusters.collector.url} · pods {clusters.collector.podsSynced ? 'synced' : <strong>not synced</strong>} ·
              enforcement {clusters.collector.enforcement ? 'available' : 'unavailable'} · TLS {clusters.collector.tls ? 'on' : 'off'} · {clusters.collector.bufferedEvents.toLocaleString('en')} events buffered
            </p>
            <FollowLive />
            <CollectorCounters counters={clusters.collector.counters} />
          </>
        )}
      </section>
      <NodeCollectors contexts={clusters.contexts} />
    </>
  );
}

const LOST = 'vigil_collector_lost_events_total';

/**
 * What a responder checks first — is anything lost, is anything unattributed — as one line, the counters that are
 * not zero under it, and every counter the collector exports behind a disclosure.
 */
function CollectorCounters({ counters }: { counters: Record<string, number> }) {
  const entries = Object.entries(counters);
  const lost = entries.filter(([name]) => name.startsWith(LOST)).reduce((sum, [, value]) => sum + value, 0);
  const unattributed = counters.vigil_collector_unattributed_events_total ?? 0;
  const lossy = entries.filter(([name, value]) => name.startsWith(LOST) && value > 0);
  const table = (rows: [string, number][], label: string) => (
    <table className="data-table compact" aria-label={label}>
      <thead><tr><th scope="col">Counter</th><th scope="col" className="num">Value</th></tr></thead>
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name}><td><code>{name}</code></td><td className="num">{value.toLocaleString('en')}</td></tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <>
      <p>
        <strong>{lost.toLocaleString('en')}</strong> events lost{lost ? ` (${lossy.length} reason${lossy.length === 1 ? '' : 's'} below)` : ''} ·{' '}
        <strong>{unattributed.toLocaleString('en')}</strong> without pod attribution
      </p>
      {lossy.length ? table(lossy, 'Collector losses') : null}
      <details>
        <summary>All {entries.length} collector counters</summary>
        {table(entries, 'Collector counters')}
      </details>
    </>
  );
}

function FollowLive() {
  const { mode, live, followLive } = useCase();
  const following = mode === 'live' && (live?.state === 'following' || live?.state === 'reconnecting');
  return (
    <p>
      <button type="button" onClick={() => void followLive()} disabled={following}>
        {following ? 'Following live events' : mode === 'live' ? 'Resume following this live case' : 'Follow live events in a new live case'}
      </button>{' '}
      <span className="muted">Events are stored in the case as they arrive; stories appear as the engine finds them.</span>
    </p>
  );
}

function CaseCounts() {
  const { summary, title } = useCase();
  if (!summary) return null;
  const share = summary.eventCount ? (summary.unattributedCount / summary.eventCount) * 100 : 0;
  return (
    <section className="panel" aria-label="Open case">
      <h2 className="panel-title">Open case: {title}</h2>
      <p>
        {summary.eventCount.toLocaleString('en')} events · {summary.firstTime?.replace('T', ' ').slice(0, 19)} → {summary.lastTime?.replace('T', ' ').slice(0, 19)} UTC ·{' '}
        <strong>{summary.unattributedCount.toLocaleString('en')}</strong> without pod attribution ({share.toFixed(1)} %)
      </p>
    </section>
  );
}
