// Collectors per node of one context: the vigil-collector DaemonSet's pods Vigil found through the API (or the lab's
// collector), each reached by port-forward through the API server (or directly), with health, event rate, loss and
// events without pod attribution. Main holds every token; this only shows names, states and figures.
import { useState } from 'react';
import type { ClusterCollectors, Clusters } from '../../../../shared/api/contract.js';
import { apiClient } from '../../platform/api-client.js';

type Context = Clusters['contexts'][number];
type Load = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; answer: ClusterCollectors } | { status: 'error'; message: string };

const number = (value: number | null) => (value === null ? '—' : value.toLocaleString('en'));

function defaultContext(contexts: Context[]): Context | undefined {
  const connected = contexts.filter((c) => c.connection.state === 'connected');
  return connected.find((c) => c.source === 'lab' && c.name.endsWith('-admin')) ?? connected.find((c) => c.current) ?? connected[0];
}

export function NodeCollectors({ contexts }: { contexts: Context[] }) {
  const connected = contexts.filter((c) => c.connection.state === 'connected');
  const [chosen, setChosen] = useState<string | undefined>(() => {
    const context = defaultContext(contexts);
    return context ? `${context.source}:${context.id}` : undefined;
  });
  const [route, setRoute] = useState<'port-forward' | 'direct'>('port-forward');
  const [load, setLoad] = useState<Load>({ status: 'idle' });
  const context = connected.find((c) => `${c.source}:${c.id}` === chosen);

  const find = () => {
    if (!context) return;
    setLoad({ status: 'loading' });
    apiClient()
      .call('clusters.collectors', { contextId: context.id, source: context.source, route })
      .then(
        (answer) => setLoad({ status: 'ready', answer }),
        (error: Error) => setLoad({ status: 'error', message: error.message }),
      );
  };

  return (
    <section className="panel" aria-label="Collectors per node">
      <h2 className="panel-title">Collectors per node</h2>
      {connected.length === 0 ? (
        <p className="muted">No connected context to look for collectors in.</p>
      ) : (
        <p className="clusters-toolbar">
          <label>
            Context{' '}
            <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
              {connected.map((c) => (
                <option key={`${c.source}:${c.id}`} value={`${c.source}:${c.id}`}>{c.name}{c.source === 'lab' ? ' (lab)' : ''}</option>
              ))}
            </select>
          </label>{' '}
          <label>
            Reach them{' '}
            <select value={route} onChange={(e) => setRoute(e.target.value as 'port-forward' | 'direct')}>
              <option value="port-forward">by port-forward through the API server</option>
              <option value="direct">directly at the pod IP</option>
            </select>
          </label>{' '}
          <button type="button" onClick={find} disabled={!context || load.status === 'loading'}>
            {load.status === 'loading' ? 'Looking…' : 'Find collectors'}
          </button>
        </p>
      )}
      {load.status === 'error' ? <p role="alert">Collectors could not be looked for: {load.message}. Nothing was changed.</p> : null}
      {load.status === 'ready' ? <CollectorTable answer={load.answer} /> : null}
    </section>
  );
}

function CollectorTable({ answer }: { answer: ClusterCollectors }) {
  return (
    <>
      <p className="muted">
        {answer.daemonSets.length
          ? answer.daemonSets.map((d) => `DaemonSet ${d.namespace}/${d.name}: ${d.ready} of ${d.desired} ready${d.services.length ? `, Service ${d.services.map((s) => `${s.name}:${s.port}`).join(', ')}` : ''}`).join(' · ')
          : `No vigil-collector DaemonSet in ${answer.searched} (kubectl apply -k native-bpf-collector/deploy installs it).`}
        {answer.credentials ? ` · token from ${answer.credentials}` : ''}
      </p>
      {answer.nodes.length ? (
        <table className="data-table compact" aria-label={`Collectors of ${answer.context}`}>
          <thead>
            <tr>
              <th scope="col">Node</th><th scope="col">Pod</th><th scope="col">Reached</th><th scope="col">Health</th>
              <th scope="col" className="num">Events/s</th><th scope="col" className="num">Lost</th><th scope="col" className="num">Without pod</th>
            </tr>
          </thead>
          <tbody>
            {answer.nodes.map((n) => (
              <tr key={`${n.node}/${n.pod ?? 'lab'}`}>
                <td><strong>{n.node}</strong></td>
                <td>{n.pod ? <code>{n.pod}</code> : <span className="muted">runs on the lab machine</span>}</td>
                <td>{n.route === 'lab' ? 'directly (lab)' : n.route}</td>
                <td className={`connection connection-${n.status.state === 'healthy' ? 'connected' : 'error'}`}>
                  {n.status.state === 'healthy'
                    ? `healthy · pods ${n.status.podsSynced ? 'synced' : 'not synced'} · enforcement ${n.status.enforcement ? 'available' : 'unavailable'}`
                    : `${n.ready ? 'unreachable' : 'not ready'}: ${n.status.message}`}
                </td>
                <td className="num">{number(n.eventsPerSecond)}</td>
                <td className="num">{number(n.lostEvents)}</td>
                <td className="num">{number(n.unattributedEvents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {answer.problems.length ? <ul aria-label="Discovery problems">{answer.problems.map((p, i) => <li key={i}>{p}</li>)}</ul> : null}
    </>
  );
}
