// One generated policy: its text (copy, save), why each rule is there, the warnings to read, and the audit replay.
import { useState } from 'react';
import type { PolicyOutcome } from '../../engine/case-policies.js';
import { EventList } from '../common/EventList.js';
import { fileNameFor, policyYaml, seccompJson } from './policy-text.js';

const titles = { networkpolicy: 'NetworkPolicy', seccomp: 'Seccomp profile', rbac: 'RBAC (Role and RoleBinding)' } as const;

function save(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function PolicyCard({ outcome }: { outcome: PolicyOutcome }) {
  const [copied, setCopied] = useState(false);
  const [format, setFormat] = useState<'yaml' | 'json'>('yaml');
  const [openBlock, setOpenBlock] = useState<string | null>(null);
  const titleId = `policy-${outcome.kind}`;
  if (outcome.status === 'failed')
    return (
      <section className="panel policy-card" aria-labelledby={titleId}>
        <h3 id={titleId}>{titles[outcome.kind]}</h3>
        <p role="alert">Not generated: {outcome.reason}</p>
      </section>
    );
  const { policy, replay } = outcome;
  const json = seccompJson(policy);
  const text = format === 'json' && json ? json : policyYaml(policy);
  const fileName = fileNameFor(policy, format === 'json' && json ? 'json' : 'yaml');
  return (
    <section className="panel policy-card" aria-labelledby={titleId}>
      <h3 id={titleId}>{titles[outcome.kind]} <span className="muted">for {policy.pod}</span></h3>
      {policy.warnings.length ? <ul className="warnings">{policy.warnings.map((w) => <li key={w}>{w}</li>)}</ul> : null}
      <div className="policy-actions">
        {json ? (
          <label>
            Format{' '}
            <select value={format} onChange={(e) => setFormat(e.currentTarget.value as 'yaml' | 'json')}>
              <option value="yaml">Kubernetes YAML</option>
              <option value="json">seccomp JSON (node)</option>
            </select>
          </label>
        ) : null}
        <button type="button" className="ghost small" onClick={() => void navigator.clipboard?.writeText(text).then(() => { setCopied(true); setTimeout(() => setCopied(false), 1200); })}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="ghost small" onClick={() => save(text, fileName, format === 'json' ? 'application/json' : 'application/yaml')}>
          Save {fileName}
        </button>
      </div>
      <pre className="policy-text" tabIndex={0} aria-label={`${titles[outcome.kind]} text`}>{text}</pre>
      <h4>Audit replay over this case</h4>
      <p className={replay.blocked.length ? 'replay-blocked' : 'replay-clean'}>
        {replay.blocked.length
          ? `Would have blocked ${replay.blocked.length} of ${replay.eventsConsidered.toLocaleString('en')} events it applies to.`
          : `Would have blocked nothing: all ${replay.eventsConsidered.toLocaleString('en')} events it applies to stay allowed.`}
      </p>
      {replay.blocked.length ? (
        <ul className="blocked-list">
          {replay.blocked.slice(0, 100).map((block) => (
            <li key={block.eventId}>
              <button type="button" className="linkish" aria-expanded={openBlock === block.eventId} onClick={() => setOpenBlock(openBlock === block.eventId ? null : block.eventId)}>
                <time dateTime={block.time}>{block.time.slice(11, 23)}</time> {block.what}
              </button>{' '}
              <span className="muted">({block.policy})</span>
              {openBlock === block.eventId ? <EventList ids={[block.eventId]} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <details>
        <summary>Why each rule is there ({policy.justification.length})</summary>
        <ul className="justification">
          {policy.justification.map((j) => (
            <li key={j.rule}><code>{j.rule}</code> <span className="muted">— {j.eventIds.length} events, e.g. {j.eventIds.slice(0, 2).join(', ')}</span></li>
          ))}
        </ul>
      </details>
    </section>
  );
}
