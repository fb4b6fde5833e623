// Containing one pod: what this user may do (controls disabled with the reason), the dry-run diff first, then a
// confirmation that names every change, progress, and the verified result with its action-log entry.
import { useEffect, useState } from 'react';
import type { Clusters, ResponseAccess, ResponseRun } from '../../../../shared/api/contract.js';
import type { QuarantinePeer } from '../../../../shared/model/action.js';
import { engineClient } from '../../engine/engine-client.js';
import { apiClient } from '../../platform/api-client.js';
import { ChangeList } from './ChangeList.js';
import { ConfirmChanges } from './ConfirmChanges.js';

type Mode = 'soft' | 'hard' | 'release';
const modeLabel: Record<Mode, string> = { soft: 'Soft quarantine', hard: 'Hard quarantine', release: 'Release' };
type Step =
  | { step: 'idle' }
  | { step: 'previewing'; mode: Mode }
  | { step: 'preview'; mode: Mode; run: ResponseRun }
  | { step: 'confirming'; mode: Mode; run: ResponseRun }
  | { step: 'applying'; mode: Mode }
  | { step: 'done'; mode: Mode; run: ResponseRun }
  | { step: 'failed'; mode: Mode; message: string };

export function PodResponse({ context, pod, workload }: { context: Clusters['contexts'][number]; pod: string; workload: string | undefined }) {
  const [namespace, name] = pod.split('/') as [string, string];
  const [access, setAccess] = useState<ResponseAccess | { error: string } | null>(null);
  const [peers, setPeers] = useState<QuarantinePeer[]>([]);
  const [state, setState] = useState<Step>({ step: 'idle' });
  useEffect(() => {
    apiClient()
      .call('response.access', { contextId: context.id, source: context.source, namespace })
      .then(setAccess, (e: Error) => setAccess({ error: e.message }));
    if (workload) void engineClient().request({ type: 'quarantine-peers', workload }).then(setPeers, () => setPeers([]));
  }, [context.id, context.source, namespace, workload]);

  const run = (mode: Mode, dryRun: boolean) =>
    apiClient().call('response.run', {
      contextId: context.id, source: context.source, namespace, pod: name, mode, dryRun, ...(mode === 'soft' ? { egress: peers } : {}),
    });
  const preview = (mode: Mode) => {
    setState({ step: 'previewing', mode });
    run(mode, true).then((r) => setState({ step: 'preview', mode, run: r }), (e: Error) => setState({ step: 'failed', mode, message: e.message }));
  };
  const apply = (mode: Mode) => {
    setState({ step: 'applying', mode });
    run(mode, false).then((r) => setState({ step: 'done', mode, run: r }), (e: Error) => setState({ step: 'failed', mode, message: e.message }));
  };
  const busy = state.step === 'previewing' || state.step === 'applying';

  return (
    <section className="panel pod-response" aria-label={`Response for ${pod}`}>
      <h2 className="panel-title">{pod}</h2>
      {access === null ? <p className="muted">Asking the API server what {context.user} may do…</p> : null}
      {access && 'error' in access ? <p role="alert">The access review failed: {access.error}</p> : null}
      <div className="response-actions">
        {(['soft', 'hard', 'release'] as const).map((mode) => {
          const decision = access && !('error' in access) ? access[mode] : null;
          const allowed = decision?.allowed ?? false;
          return (
            <div key={mode} className="response-action">
              <button type="button" disabled={!allowed || busy} aria-describedby={`why-${mode}-${name}`} onClick={() => preview(mode)}>
                Preview {modeLabel[mode].toLowerCase()}
              </button>
              <p id={`why-${mode}-${name}`} className={allowed ? 'muted' : 'reason-disabled'}>
                {decision ? (allowed ? `${context.user} may do this` : decision.reason) : ''}
              </p>
            </div>
          );
        })}
      </div>
      {state.step === 'previewing' ? <p className="muted" role="status">Server-side dry run of the {modeLabel[state.mode].toLowerCase()}…</p> : null}
      {state.step === 'applying' ? <p role="status"><progress aria-label="Applying" /> Applying the {modeLabel[state.mode].toLowerCase()} and verifying it…</p> : null}
      {state.step === 'failed' ? <p role="alert">{modeLabel[state.mode]} failed: {state.message}</p> : null}
      {(state.step === 'preview' || state.step === 'confirming') && (
        <div className="response-preview">
          <h3>Dry run: {state.run.summary}</h3>
          {state.mode === 'soft' ? <p className="muted">Kept allowed: DNS and the {peers.length} destinations of the baseline of {workload ?? 'the workload'}.</p> : null}
          <ChangeList run={state.run} />
          <button type="button" disabled={!state.run.entry.dryRun.ok} onClick={() => setState({ step: 'confirming', mode: state.mode, run: state.run })}>
            Apply {modeLabel[state.mode].toLowerCase()}…
          </button>
          {!state.run.entry.dryRun.ok ? <p role="alert">The API server refused the dry run, so it cannot be applied.</p> : null}
        </div>
      )}
      {state.step === 'confirming' ? (
        <ConfirmChanges
          title={`${modeLabel[state.mode]} of ${pod} in ${context.name}`}
          run={state.run}
          onCancel={() => setState({ step: 'preview', mode: state.mode, run: state.run })}
          onConfirm={() => apply(state.mode)}
        />
      ) : null}
      {state.step === 'done' ? (
        <div className="response-result">
          <h3>
            {state.run.summary} — outcome <strong>{state.run.entry.outcome}</strong>, verification {state.run.entry.verification.ok ? 'passed' : 'found problems'}
          </h3>
          {state.run.entry.verification.problems.map((p) => <p key={p} role="alert">{p}</p>)}
          <ChangeList run={state.run} />
          <p>
            Action log entry <strong>#{state.run.entry.seq}</strong> by {state.run.entry.actor.username} at {state.run.entry.time} · hash <code>{state.run.entry.hash}</code>
          </p>
        </div>
      ) : null}
    </section>
  );
}
