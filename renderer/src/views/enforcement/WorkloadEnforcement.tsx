// One workload's page: its ladder (when, by whom), the steps this user may take, the running audit's violations with
// their evidence and decisions, and the plan. Everything is read from the cluster context through main.
import { useState } from 'react';
import type { EnforcementStep } from '../../../../shared/enforcement/enforcement-api.js';
import { formatDuration } from '../../../../shared/enforcement/promotion-gate.js';
import { linkTo } from '../../app/use-route-path.js';
import { apiClient } from '../../platform/api-client.js';
import { LadderSteps } from './LadderSteps.js';
import { PlanPanel } from './PlanPanel.js';
import { StepControls } from './StepControls.js';
import { ViolationList, type Decision } from './ViolationList.js';
import { useApiCall } from './use-api-call.js';
import { shortTime } from './ladder-words.js';

export function WorkloadEnforcement({ context, workload, onChanged }: { context: { id: string; source: 'kubeconfig' | 'lab'; name: string }; workload: string; onChanged(): void }) {
  const ref = { contextId: context.id, source: context.source, workload };
  const key = `${context.source}:${context.id}:${workload}`;
  const access = useApiCall(() => apiClient().call('enforcement.access', ref), key);
  const audit = useApiCall(() => apiClient().call('enforcement.audit', ref), key);
  const plan = useApiCall(() => apiClient().call('enforcement.plan', ref), key);
  const [deciding, setDeciding] = useState<{ message: string; error: boolean } | null>(null);

  const refresh = () => {
    audit.reload();
    plan.reload();
    onChanged();
  };
  const decide = (id: string, decision: Decision, reason: string) => {
    setDeciding({ message: 'Recording the decision…', error: false });
    apiClient()
      .call('enforcement.decide', { ...ref, violationIds: [id], decision, reason })
      .then(
        (result) => {
          setDeciding({ message: `${result.summary} — action log entry #${result.entry.seq}`, error: false });
          refresh();
        },
        (e: Error) => setDeciding({ message: `The decision was not recorded: ${e.message}`, error: true }),
      );
  };
  const accessValue = access.status === 'ready' ? access.value : null;
  const report = audit.status === 'ready' ? audit.value : null;
  const ladder = report?.ladder ?? (plan.status === 'ready' ? plan.value.ladder : null);

  return (
    <div className="workload-enforcement">
      <p className="breadcrumb"><a href={linkTo('enforcement')}>Enforcement</a> / {workload}</p>
      <h2 className="view-title">{workload}</h2>
      {ladder ? <LadderSteps ladder={ladder} /> : <p className="muted">{audit.status === 'error' ? '' : 'Reading the ladder…'}</p>}
      {access.status === 'error' ? <p role="alert">The access review failed: {access.message}</p> : null}
      {ladder ? (
        <StepControls
          workload={workload}
          rung={ladder.step}
          access={accessValue}
          gateBlockers={report?.audit?.gate.blockers ?? []}
          preview={(step: EnforcementStep) => apiClient().call('enforcement.preview', { ...ref, step })}
          run={(step: EnforcementStep, windowMs?: number) => apiClient().call('enforcement.run', { ...ref, step, ...(windowMs ? { windowMs } : {}) })}
          onChanged={() => {
            access.reload();
            refresh();
          }}
        />
      ) : null}
      <section className="panel audit-panel" aria-label="Audit">
        <h3>
          Audit{' '}
          <button type="button" className="ghost tiny" onClick={refresh} disabled={audit.status === 'loading'}>Refresh</button>
        </h3>
        {audit.status === 'loading' ? <p className="muted">Reading the audit…</p> : null}
        {audit.status === 'error' ? <p role="alert">The audit could not be read: {audit.message}</p> : null}
        {report && !report.audit ? <p className="muted">No audit runs for {workload}. Start one to run its plan without blocking: the collector counts what it would drop, seccomp and RBAC are checked live.</p> : null}
        {report?.audit ? (
          <>
            <p>
              Since {shortTime(report.audit.auditStartedAt)}, window {formatDuration(report.audit.windowMs)} (until {shortTime(report.audit.gate.windowEndsAt)}); {report.audit.eventsConsidered} events checked ·{' '}
              {report.audit.gate.ready ? <strong className="gate-ready">ready to promote</strong> : <span className="reason-disabled">not ready: {report.audit.gate.blockers.join('; ')}</span>}
            </p>
            {deciding ? <p role={deciding.error ? 'alert' : 'status'}>{deciding.message}</p> : null}
            <ViolationList
              violations={report.audit.violations}
              mayDecide={accessValue?.audit.allowed ?? false}
              whyNot={accessValue ? accessValue.audit.reason : 'asking the API server what you may do…'}
              busy={deciding?.message === 'Recording the decision…'}
              onDecide={decide}
            />
          </>
        ) : null}
      </section>
      {plan.status === 'loading' ? <p className="muted">Generating the plan and replaying it…</p> : null}
      {plan.status === 'error' ? <p role="alert">No plan for {workload}: {plan.message}</p> : null}
      {plan.status === 'ready' ? <PlanPanel plan={plan.value} /> : null}
    </div>
  );
}
