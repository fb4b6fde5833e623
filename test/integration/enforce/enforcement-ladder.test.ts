// The observe → audit → enforce ladder of the research agent, against the real lab: a real API server (read back with
// kubectl), the real collector at the node, real agents running the named scenarios — baseline traffic during the
// audit is no violation, a benign release's new behaviour is, and once accepted it widens the plan and lets the
// workload promote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { recordFile } from '../../lab/workloads/workload-catalog.js';
import { labWorkloads } from '../../lab/workloads/index.js';
import { ensureLab, labSkipReason, VIGIL } from '../lab-fixture.js';
import type { LabState } from '../../lab/lab-state.js';

const skip = labSkipReason();
const WORKLOAD = 'agents/research-agent';
const NAMESPACE = 'agents';
let lab: LabState;
let since: string;
let learnUntil: string;

function vigil(args: string[], role: 'responder' | 'auditor' = 'responder') {
  const result = spawnSync(VIGIL, [...args, '--lab', '--as', role], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
function vigilJson<T>(args: string[], role: 'responder' | 'auditor' = 'responder'): T {
  const result = vigil([...args, '--json'], role);
  if (result.status !== 0) throw new Error(`vigil ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
function scenario(name: string): { ok: boolean; startedAt: string; endedAt: string; error?: string } {
  const result = spawnSync(VIGIL, ['scenario', 'run', name, '--json'], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
}
function kubectl(args: string[]): unknown {
  const result = spawnSync('kubectl', ['--kubeconfig', lab.kubeconfig, '--context', lab.contexts.admin, ...args, '-o', 'json'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}
/** The agent's NetworkPolicies and the bindings naming its service account, as kubectl reads them (no volatile fields). */
function enforcementObjects() {
  const strip = (o: { metadata: Record<string, unknown> }) => {
    const { resourceVersion: _r, managedFields: _m, generation: _g, creationTimestamp: _c, uid: _u, ...metadata } = o.metadata;
    return { ...o, metadata };
  };
  const policies = (kubectl(['get', 'networkpolicies', '-n', NAMESPACE]) as { items: { metadata: Record<string, unknown> }[] }).items.map(strip);
  const names = (b: { subjects?: { kind: string; name: string; namespace?: string }[] }) => (b.subjects ?? []).some((s) => s.kind === 'ServiceAccount' && s.name === 'research-agent');
  const bindings = [
    ...(kubectl(['get', 'rolebindings', '-A']) as { items: { metadata: Record<string, unknown>; subjects?: never[] }[] }).items,
    ...(kubectl(['get', 'clusterrolebindings']) as { items: { metadata: Record<string, unknown>; subjects?: never[] }[] }).items,
  ].filter(names).map(strip);
  return { policies, bindings };
}

/** Kills the processes in the research agent's pod cgroup that carry the attack's command line (curl, the token). */
function endAttackProcesses(): void {
  const pod = lab.pods.find((p) => p.namespace === NAMESPACE && p.name.startsWith('research-agent-'));
  if (!pod) throw new Error('no research-agent pod in the lab');
  for (const pid of readFileSync(`${pod.cgroupDir}/cgroup.procs`, 'utf8').split('\n').filter(Boolean).map(Number)) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue; // already gone
    }
    if (/\bcurl\b|serviceaccount\/token/.test(cmdline)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  }
}

interface AuditReport {
  ladder: { step: string };
  violations: { id: string; kind: string; what: string; eventIds: string[]; decision?: { decision: string; by: string }; covered?: boolean }[];
  gate: { ready: boolean; blockers: string[] };
}
interface Plan {
  source: 'generated' | 'audited';
  policies: Record<string, { objects: { kind: string; spec?: { ingress?: { from?: unknown[]; ports?: { port?: number }[] }[] } }[]; justification: { rule: string; eventIds: string[] }[] }>;
}

describe.skipIf(skip !== null)(`enforcement ladder in the lab${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let before: ReturnType<typeof enforcementObjects>;

  /** Back to baseline-ready, whatever an earlier (interrupted) run left: no promotion, no audit. */
  const reset = () => {
    vigil(['enforce', 'rollback', WORKLOAD]);
    vigil(['enforce', 'audit', WORKLOAD, '--stop']);
  };

  beforeAll(async () => {
    lab = await ensureLab();
    reset();
    const run = scenario('baseline-traffic');
    expect(run.ok, run.error).toBe(true);
    since = run.startedAt;
    learnUntil = run.endedAt;
    // The baseline is what baseline-traffic did: learned from its start until its end.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    before = enforcementObjects();
  });

  // Leave the lab as the other tests expect it, whatever happened above.
  afterAll(reset);

  it('plans from the learned baseline: three policies, their replay, the blast radius', () => {
    const plan = vigilJson<{ baseline: { state: string }; policies: Record<string, { objects: { kind: string }[] }>; replays: Record<string, { blocked: unknown[] }> }>(['enforce', 'plan', WORKLOAD, '--since', since, '--learn-until', learnUntil]);
    expect(plan.baseline.state).toBe('ready');
    expect(plan.policies.networkpolicy!.objects.map((o) => o.kind)).toEqual(['NetworkPolicy']);
    expect(plan.policies.rbac!.objects.map((o) => o.kind)).toContain('RoleBinding');
    expect(plan.replays.networkpolicy!.blocked).toEqual([]);
  });

  it('the auditor may plan and watch but not start the audit; nothing changes', () => {
    const refused = vigil(['enforce', 'audit', WORKLOAD, '--start', '--window', '60s', '--since', since, '--learn-until', learnUntil], 'auditor');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/not allowed: .*may not create networkpolicies.*nothing was changed/);
    expect(enforcementObjects()).toEqual(before);
  });

  it('baseline traffic during the audit is no violation', () => {
    const started = vigil(['enforce', 'audit', WORKLOAD, '--start', '--window', '60s', '--since', since, '--learn-until', learnUntil]);
    expect(started.status, started.stderr).toBe(0);
    expect(scenario('baseline-traffic').ok).toBe(true);
    const report = vigilJson<AuditReport>(['enforce', 'audit', WORKLOAD], 'auditor');
    expect(report.ladder.step).toBe('audit');
    expect(report.violations.map((v) => v.what)).toEqual([]);
  });

  it('benign-release-drift during the audit gives violations; accepted, they widen the plan from their evidence', async () => {
    const drift = scenario('benign-release-drift');
    expect(drift.ok, drift.error).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // the collector reports audit verdicts once a second
    const report = vigilJson<AuditReport>(['enforce', 'audit', WORKLOAD], 'auditor');
    const undecided = report.violations.filter((v) => !v.decision);
    // Release 2's exporter port, scraped from the node, is outside the plan (it allows the agent's API port only).
    expect(undecided.filter((v) => v.kind === 'networkpolicy' && /^ingress tcp from \S+ to port 9090$/.test(v.what)).length, JSON.stringify(undecided)).toBeGreaterThan(0);
    expect(report.gate.ready).toBe(false);
    const ids = undecided.map((v) => v.id);

    // The auditor may watch the audit but not decide on it; nothing is recorded.
    const refused = vigil(['enforce', 'decide', WORKLOAD, ids.join(','), 'accept', '--reason', 'release 2'], 'auditor');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/not allowed.*nothing was changed/);
    expect(vigilJson<AuditReport>(['enforce', 'audit', WORKLOAD]).violations.filter((v) => v.decision)).toEqual(report.violations.filter((v) => v.decision));

    const accepted = vigil(['enforce', 'decide', WORKLOAD, ids.join(','), 'accept', '--reason', 'release 2 serves metrics on 9090 and caches in a sidecar']);
    expect(accepted.status, accepted.stderr).toBe(0);
    const decided = vigilJson<AuditReport>(['enforce', 'audit', WORKLOAD], 'auditor');
    expect(decided.violations.filter((v) => ids.includes(v.id)).map((v) => [v.decision?.decision, v.decision?.by])).toEqual(ids.map(() => ['accepted', 'vigil-lab-responder']));
    expect(decided.gate.blockers.join(' ')).not.toMatch(/without a decision/);

    // The plan under audit grew by exactly what was accepted, each rule citing the events behind its violation.
    const widened = vigilJson<Plan>(['enforce', 'plan', WORKLOAD], 'auditor');
    expect(widened.source).toBe('audited');
    const evidence = new Set(undecided.flatMap((v) => v.eventIds));
    const acceptedRules = Object.values(widened.policies).flatMap((p) => p.justification).filter((j) => j.rule.endsWith('(accepted in audit)'));
    expect(acceptedRules.length).toBeGreaterThan(0);
    for (const rule of acceptedRules) expect(rule.eventIds.every((id) => evidence.has(id)), rule.rule).toBe(true);
    const ingress = widened.policies.networkpolicy!.objects.flatMap((o) => o.spec?.ingress ?? []);
    expect(ingress.some((rule) => (rule.ports ?? []).some((p) => p.port === 9090)), JSON.stringify(ingress)).toBe(true);
  });

  it('once the audit window has run without an undecided violation, the workload may promote', async () => {
    await new Promise((resolve) => setTimeout(resolve, 61_000)); // the audit window
    const ready = vigilJson<AuditReport>(['enforce', 'audit', WORKLOAD]);
    expect(ready.violations.filter((v) => !v.decision && !v.covered)).toEqual([]);
    expect(ready.gate).toMatchObject({ ready: true, blockers: [] });
  }, 600_000);

  it('the auditor is refused at promote with nothing changed', () => {
    const refused = vigil(['enforce', 'promote', WORKLOAD], 'auditor');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/not allowed.*nothing was changed/);
    expect(enforcementObjects()).toEqual(before);
  });

  it('promotion applies the plan (kubectl sees it) and the attack is blocked at the node', async () => {
    const promoted = vigil(['enforce', 'promote', WORKLOAD]);
    expect(promoted.status, promoted.stdout + promoted.stderr).toBe(0);
    const after = enforcementObjects();
    expect(after.policies.map((p) => p.metadata.name)).toContain('vigil-baseline-research-agent');
    expect(after.bindings.map((b) => b.metadata.name)).toContain('vigil-baseline-research-agent');
    // The bindings that granted the agent more than it used (the cluster-wide secrets grant among them) no longer name it.
    const previous = before.bindings.map((b) => String(b.metadata.name)).filter((name) => !name.startsWith('vigil-'));
    expect(previous.length).toBeGreaterThan(0);
    expect(after.bindings.map((b) => String(b.metadata.name)).filter((name) => previous.includes(name))).toEqual([]);
    const sink = recordFile(labWorkloads(lab).files, 'exfil-sink');
    const uploadsBefore = existsSync(sink) ? readFileSync(sink, 'utf8').split('\n').filter(Boolean).length : 0;
    const attack = scenario('indirect-prompt-injection-exfil');
    // The agent still follows the injected instruction, but nothing reaches the attacker's sink.
    const uploadsAfter = existsSync(sink) ? readFileSync(sink, 'utf8').split('\n').filter(Boolean).length : 0;
    expect(uploadsAfter).toBe(uploadsBefore);
    // The chain's first step out of the pod (the Kubernetes API, to list secrets) is dropped at the node; the upload
    // that would follow waits on it and never reaches the sink (checked above).
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // the collector reports verdicts once a second
    const events = spawnSync(VIGIL, ['events', '--lab', '--json', '--since', attack.startedAt], { encoding: 'utf8', timeout: 120_000, maxBuffer: 512 << 20 });
    const verdicts = events.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.kind === 'enforce.verdict' && e.details.action === 'dropped');
    expect(verdicts.some((e) => e.pod?.namespace === NAMESPACE && e.details.dstIp === '10.96.0.1' && e.details.dstPort === 443), JSON.stringify(verdicts.slice(0, 3))).toBe(true);
    // Contain it as a responder would: end the attack's processes still waiting on the blocked connection, so they
    // do not finish after the rollback below (and leak into later tests).
    endAttackProcesses();
    // The block is a step of the attack's story.
    const stories = spawnSync(VIGIL, ['stories', '--lab', '--json', '--since', attack.startedAt], { encoding: 'utf8', timeout: 300_000, maxBuffer: 512 << 20 });
    const steps = (JSON.parse(stories.stdout) as { steps: { summary: string }[] }[]).flatMap((story) => story.steps.map((step) => step.summary));
    expect(steps.some((summary) => /egress allowlist of pod agents\/research-agent.* blocked \d+ TCP packet\(s\)/.test(summary)), steps.join('\n')).toBe(true);
  });

  it('rollback restores exactly what was there, object by object', () => {
    const rolled = vigil(['enforce', 'rollback', WORKLOAD]);
    expect(rolled.status, rolled.stdout + rolled.stderr).toBe(0);
    expect(enforcementObjects()).toEqual(before);
    const log = spawnSync(VIGIL, ['actions', 'verify', `${lab.stateDir}/action-log.jsonl`], { encoding: 'utf8' });
    expect(log.status, log.stdout + log.stderr).toBe(0);
  });
});
