// The ladder's steps for one workload: start or stop the audit, promote, roll back. Each button is enabled only when
// the API server's access review allows it and the workload is on the rung the step starts from; otherwise it is
// disabled with the reason. A step is previewed first (server-side dry run), then confirmed with every change named.
import { useState } from 'react';
import type { EnforcementAccess, EnforcementPreview, EnforcementResult, EnforcementStep } from '../../../../shared/enforcement/enforcement-api.js';
import type { LadderStep } from '../../../../shared/enforcement/ladder.js';
import { ConfirmDialog } from './ConfirmDialog.js';

const stepLabel: Record<EnforcementStep, string> = { 'start-audit': 'Start audit', 'stop-audit': 'Stop audit', promote: 'Promote', rollback: 'Roll back' };
const fromRung: Record<EnforcementStep, LadderStep> = { 'start-audit': 'baseline-ready', 'stop-audit': 'audit', promote: 'audit', rollback: 'enforced' };
const accessFor: Record<EnforcementStep, keyof Pick<EnforcementAccess, 'audit' | 'promote' | 'rollback'>> = { 'start-audit': 'audit', 'stop-audit': 'audit', promote: 'promote', rollback: 'rollback' };
const windows = [
  { label: '2 minutes (lab)', ms: 2 * 60_000 },
  { label: '1 hour', ms: 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '7 days', ms: 7 * 86_400_000 },
];

type Phase =
  | { phase: 'idle' }
  | { phase: 'previewing'; step: EnforcementStep }
  | { phase: 'confirming'; step: EnforcementStep; preview: EnforcementPreview }
  | { phase: 'refused'; step: EnforcementStep; preview: EnforcementPreview }
  | { phase: 'running'; step: EnforcementStep }
  | { phase: 'done'; step: EnforcementStep; result: EnforcementResult }
  | { phase: 'failed'; step: EnforcementStep; message: string };

export function StepControls({ workload, rung, access, gateBlockers, preview, run, onChanged }: {
  workload: string;
  rung: LadderStep;
  access: EnforcementAccess | null;
  /** Why promotion is held (audit window, undecided violations), when an audit runs. */
  gateBlockers: string[];
  preview(step: EnforcementStep): Promise<EnforcementPreview>;
  run(step: EnforcementStep, windowMs?: number): Promise<EnforcementResult>;
  onChanged(): void;
}) {
  const [phase, setPhase] = useState<Phase>({ phase: 'idle' });
  const [windowMs, setWindowMs] = useState(windows[0]!.ms);
  const busy = phase.phase === 'previewing' || phase.phase === 'running';
  const steps: EnforcementStep[] = rung === 'audit' ? ['promote', 'stop-audit', 'rollback'] : rung === 'baseline-ready' || rung === 'observing' ? ['start-audit', 'promote', 'rollback'] : ['rollback', 'promote'];

  const whyNot = (step: EnforcementStep): string | null => {
    if (!access) return 'asking the API server what you may do…';
    const decision = access[accessFor[step]];
    if (!decision.allowed) return decision.reason;
    if (rung !== fromRung[step]) return `${stepLabel[step].toLowerCase()} needs ${workload} at ${fromRung[step]}; it is at ${rung}`;
    if (step === 'promote' && gateBlockers.length) return `not yet: ${gateBlockers.join('; ')}`;
    return null;
  };
  const begin = (step: EnforcementStep) => {
    setPhase({ phase: 'previewing', step });
    preview(step).then(
      (p) => setPhase(p.allowed ? { phase: 'confirming', step, preview: p } : { phase: 'refused', step, preview: p }),
      (e: Error) => setPhase({ phase: 'failed', step, message: e.message }),
    );
  };
  const carryOut = (step: EnforcementStep) => {
    setPhase({ phase: 'running', step });
    run(step, step === 'start-audit' ? windowMs : undefined).then(
      (result) => {
        setPhase({ phase: 'done', step, result });
        onChanged();
      },
      (e: Error) => setPhase({ phase: 'failed', step, message: e.message }),
    );
  };

  return (
    <section className="panel step-controls" aria-label="Enforcement steps">
      <h3>Steps</h3>
      <div className="step-buttons">
        {steps.map((step) => {
          const reason = whyNot(step);
          return (
            <div key={step} className="step-action">
              {step === 'start-audit' ? (
                <label className="window-choice">
                  Audit window{' '}
                  <select value={windowMs} onChange={(e) => setWindowMs(Number(e.currentTarget.value))} disabled={reason !== null}>
                    {windows.map((w) => <option key={w.ms} value={w.ms}>{w.label}</option>)}
                  </select>
                </label>
              ) : null}
              <button type="button" disabled={reason !== null || busy} aria-describedby={`why-${step}`} onClick={() => begin(step)}>
                {stepLabel[step]}…
              </button>
              <p id={`why-${step}`} className={reason === null ? 'muted' : 'reason-disabled'}>{reason ?? `${access?.user ?? 'you'} may do this`}</p>
            </div>
          );
        })}
      </div>
      {phase.phase === 'previewing' ? <p className="muted" role="status">Server-side dry run of {stepLabel[phase.step].toLowerCase()}…</p> : null}
      {phase.phase === 'running' ? <p role="status"><progress aria-label="Applying" /> {stepLabel[phase.step]} in progress…</p> : null}
      {phase.phase === 'refused' ? <p role="alert">{stepLabel[phase.step]} cannot be taken: {phase.preview.reason}</p> : null}
      {phase.phase === 'failed' ? <p role="alert">{stepLabel[phase.step]} failed: {phase.message}</p> : null}
      {phase.phase === 'done' ? (
        <p role="status" className="step-result">
          {phase.result.summary} — action log entry <strong>#{phase.result.entry.seq}</strong> by {phase.result.entry.actor.username} · hash <code>{phase.result.entry.hash.slice(0, 16)}…</code>
        </p>
      ) : null}
      {phase.phase === 'confirming' ? (
        <ConfirmDialog
          title={`${stepLabel[phase.step]} ${workload}`}
          confirmLabel={stepLabel[phase.step]}
          onCancel={() => setPhase({ phase: 'idle' })}
          onConfirm={() => carryOut(phase.step)}
        >
          <p>This will change, in this order:</p>
          <ul>
            {phase.preview.changes.map((c, i) => (
              <li key={i}><strong>{c.op}</strong> {c.kind} <code>{c.namespace ? `${c.namespace}/` : ''}{c.name}</code> — {c.purpose}{c.ok ? '' : <span className="reason-disabled"> (dry run refused: {c.error})</span>}</li>
            ))}
            {phase.preview.node ? <li>node-level: {phase.preview.node}</li> : null}
            {phase.step === 'start-audit' ? <li>audit window: {windows.find((w) => w.ms === windowMs)?.label}</li> : null}
            {!phase.preview.changes.length && !phase.preview.node ? <li>no cluster object changes</li> : null}
          </ul>
          {phase.preview.warnings.length ? <ul className="warnings">{phase.preview.warnings.map((w) => <li key={w}>{w}</li>)}</ul> : null}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
