// The enforcement ladder in the workbench, against the real lab (`vigil lab up`): every workload's rung with when
// and by whom, the coverage figures, one workload's plan (policies, blast radius before → after, replay), an audit
// started as the responder after a confirmation naming what changes, a benign release's violation with its evidence,
// the auditor's view with promote, rollback and the decision disabled and the reason, and the violation accepted into
// the plan by the responder. The audit is stopped at the end, so the lab is left as found.
// Skips visibly when the lab is not there.
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readLabState } from '../lab/lab-state.js';
import { hostUrls } from './host.js';
import { pickContext } from './context-picker.js';

const lab = readLabState();
const missing = !lab ? 'the lab is not up (vigil lab up)' : !lab.collector ? 'the lab has no collector' : null;
const VIGIL = fileURLToPath(new URL('../../bin/vigil', import.meta.url));
const WORKLOAD = 'agents/research-agent';
const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

function vigil(args: string[]) {
  return spawnSync(VIGIL, args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
}

/** Back to baseline-ready whatever an earlier run left (no promotion, no audit); a no-op when already there. */
function resetLadder(): void {
  vigil(['enforce', 'rollback', WORKLOAD, '--lab', '--as', 'admin']);
  vigil(['enforce', 'audit', WORKLOAD, '--stop', '--lab']);
}

test.describe('enforcement against the lab', () => {
  test.skip(missing !== null, `lab enforcement test skipped: ${missing}`);
  test.setTimeout(300_000);

  test.beforeAll(() => {
    resetLadder();
    // A fresh benign period for the baselines (the lab learns from its latest baseline-traffic run).
    const run = vigil(['scenario', 'run', 'baseline-traffic', '--json']);
    expect(run.status, run.stderr).toBe(0);
    mkdirSync(SHOTS, { recursive: true });
  });
  test.afterAll(resetLadder);

  test('ladder and coverage, a plan, an audit started by the responder, promote refused to the auditor with the reason', async ({ page }) => {
    await page.goto(hostUrls().openUrl);
    await page.goto(`${hostUrls().url}#/enforcement`);
    const contextPicker = page.getByLabel('Cluster context');
    await pickContext(contextPicker, 'vigil-lab-responder');

    // Every workload's rung, and the coverage figures.
    const table = page.getByRole('table', { name: 'Enforcement ladder of every workload' });
    await expect(table).toBeVisible({ timeout: 60_000 });
    const row = table.getByRole('row').filter({ hasText: WORKLOAD });
    await expect(row.getByRole('list', { name: /Enforcement ladder of agents\/research-agent: Baseline ready/ })).toBeVisible();
    await expect(row).toContainText('AI agent');
    const coverage = page.getByRole('region', { name: 'Coverage' });
    await expect(coverage).toContainText('Workloads enforced');
    await expect(coverage).toContainText('AI agents enforced');
    await expect(coverage).toContainText(/Cluster blast radius\s*\d+ → \d+/);
    await page.screenshot({ path: `${SHOTS}workbench-enforcement-ladder.png` });

    // The workload's plan: three policies, the blast radius before and after, the replay.
    await row.getByRole('link', { name: WORKLOAD }).click();
    await expect(page).toHaveURL(/#\/enforcement\/agents\/research-agent$/);
    const plan = page.getByRole('region', { name: 'Plan' });
    await expect(plan.getByRole('article', { name: 'NetworkPolicy' })).toContainText('NetworkPolicy vigil-baseline-research-agent', { timeout: 60_000 });
    await expect(plan.getByRole('article', { name: 'RBAC Role and binding' })).toContainText('RoleBinding');
    await expect(plan.getByRole('table', { name: 'Blast radius before and after' })).toContainText('Reachable services');
    await expect(plan).toContainText(/Replay over the recorded history: \d+ of \d+ events would have been blocked/);
    await page.screenshot({ path: `${SHOTS}workbench-enforcement-plan.png`, fullPage: true });

    // The responder starts the audit after a confirmation that names what it does.
    const steps = page.getByRole('region', { name: 'Enforcement steps' });
    const start = steps.getByRole('button', { name: 'Start audit…' });
    await expect(start).toBeEnabled({ timeout: 30_000 });
    await start.click();
    const confirm = page.getByRole('alertdialog');
    await expect(confirm).toContainText('node-level: count (not drop)', { timeout: 60_000 });
    await expect(confirm).toContainText('audit window: 2 minutes');
    await confirm.getByRole('button', { name: 'Start audit' }).click();
    await expect(steps.locator('.step-result')).toContainText('action log entry #', { timeout: 90_000 });
    await expect(page.getByRole('list', { name: /Enforcement ladder of agents\/research-agent: Audit/ })).toBeVisible({ timeout: 60_000 });
    const audit = page.getByRole('region', { name: 'Audit' });
    await expect(audit).toContainText(/not ready: the audit window runs until/, { timeout: 60_000 });
    // The CLI agrees: the audit runs.
    const status = JSON.parse(vigil(['enforce', 'status', WORKLOAD, '--lab', '--json']).stdout) as { ladder: { step: string } }[];
    expect(status[0]?.ladder.step).toBe('audit');

    // A benign release during the audit: its new exporter port is a violation, listed with its evidence.
    const drift = vigil(['scenario', 'run', 'benign-release-drift', '--json']);
    expect(drift.status, drift.stderr).toBe(0);
    await audit.getByRole('button', { name: 'Refresh' }).click();
    const violation = audit.getByRole('listitem', { name: /^Violation ingress tcp from \S+ to port 9090$/ });
    await expect(violation).toBeVisible({ timeout: 60_000 });
    await violation.getByText(/^Evidence/).click();
    await expect(violation.locator('.evidence-list')).toContainText('net.accept');
    await violation.getByLabel('Reason').fill('release 2 serves Prometheus metrics on 9090');
    await expect(violation.getByRole('button', { name: 'Accept into plan…' })).toBeEnabled();
    await audit.screenshot({ path: `${SHOTS}workbench-enforcement-audit.png` });

    // The auditor sees the same audit; promote and rollback are disabled with the access review's reason.
    await pickContext(contextPicker, 'vigil-lab-auditor');
    const auditorSteps = page.getByRole('region', { name: 'Enforcement steps' });
    await expect(auditorSteps.getByRole('button', { name: 'Promote…' })).toBeDisabled({ timeout: 60_000 });
    await expect(auditorSteps.locator('#why-promote')).toContainText(/not allowed: vigil-lab-auditor may not create networkpolicies/, { timeout: 60_000 });
    await expect(auditorSteps.getByRole('button', { name: 'Roll back…' })).toBeDisabled();
    await expect(auditorSteps.locator('#why-rollback')).toContainText('not allowed');
    await expect(auditorSteps.getByRole('button', { name: 'Stop audit…' })).toBeDisabled();
    await expect(page.getByRole('list', { name: /Enforcement ladder of agents\/research-agent: Audit/ })).toBeVisible();
    const auditorViolation = page.getByRole('region', { name: 'Audit' }).getByRole('listitem', { name: /^Violation ingress tcp from \S+ to port 9090$/ });
    await expect(auditorViolation.getByRole('button', { name: 'Accept into plan…' })).toBeDisabled({ timeout: 60_000 });
    await expect(auditorViolation.locator('.reason-disabled')).toContainText('not allowed');
    await page.screenshot({ path: `${SHOTS}workbench-enforcement-auditor.png`, fullPage: true });

    // The responder accepts the violation into the plan, after a confirmation naming the change.
    await pickContext(contextPicker, 'vigil-lab-responder');
    const responderViolation = page.getByRole('region', { name: 'Audit' }).getByRole('listitem', { name: /^Violation ingress tcp from \S+ to port 9090$/ });
    await responderViolation.getByLabel('Reason').fill('release 2 serves Prometheus metrics on 9090', { timeout: 60_000 });
    await responderViolation.getByRole('button', { name: 'Accept into plan…' }).click();
    const acceptDialog = page.getByRole('alertdialog');
    await expect(acceptDialog).toContainText('the NetworkPolicy gains exactly this peer and port');
    await acceptDialog.getByRole('button', { name: 'Accept' }).click();
    await expect(responderViolation).toContainText('Accepted into the plan by vigil-lab-responder', { timeout: 90_000 });
    await expect(page.getByRole('region', { name: 'Plan' })).toContainText('ingress from 10.244.0.1/32 on TCP/9090 (accepted in audit)', { timeout: 90_000 });

    // The responder stops the audit again: the lab is left as it was found.
    const stop = page.getByRole('region', { name: 'Enforcement steps' }).getByRole('button', { name: 'Stop audit…' });
    await expect(stop).toBeEnabled({ timeout: 60_000 });
    await stop.click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Stop audit' }).click();
    await expect(page.getByRole('list', { name: /Enforcement ladder of agents\/research-agent: Baseline ready/ })).toBeVisible({ timeout: 90_000 });
  });
});
