// The responder's last mile, against the real lab (`vigil lab up`): from the story of the prompt-injection
// exfiltration, read the server-side dry-run diff of a soft quarantine, apply it, see the verified result and its
// action-log entry, check the cluster with kubectl, and release it. The auditor context sees the same controls
// disabled, with the reason. Skips visibly when the lab or kubectl is not there.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readLabState } from '../lab/lab-state.js';
import { hostUrls } from './host.js';
import { pickContext } from './context-picker.js';
import { importScenario } from './case-fixture.js';

const lab = readLabState();
const kubectl = '/usr/bin/kubectl';
const missing = !lab ? 'the lab is not up (vigil lab up)' : !existsSync(kubectl) ? 'kubectl is not installed' : null;

function kubectlJson(args: string[]): { items: { metadata: { name: string; labels?: Record<string, string> } }[] } {
  return JSON.parse(execFileSync(kubectl, ['--kubeconfig', lab!.kubeconfig, '--context', 'vigil-lab-admin', ...args, '-o', 'json'], { encoding: 'utf8' }));
}

test.describe('response against the lab', () => {
  test.skip(missing !== null, `lab responder test skipped: ${missing}`);
  test.setTimeout(180_000);

  test('soft quarantine from the story after its dry-run diff, verified with kubectl, then released; the auditor may not', async ({ page }) => {
    await page.goto(hostUrls().openUrl);
    await importScenario(page);
    await page.goto(`${hostUrls().url}#/stories`);
    await page.locator('.story-table tbody tr').first().getByRole('link').click();
    await page.getByRole('link', { name: 'Respond' }).click();
    await expect(page).toHaveURL(/#\/response\/story\//);

    const contextPicker = page.getByLabel('Cluster context');
    await pickContext(contextPicker, 'vigil-lab-responder');
    const panel = page.getByRole('region', { name: /^Response for agents\/research-agent-/ });
    await expect(panel.getByRole('button', { name: 'Preview soft quarantine' })).toBeEnabled({ timeout: 30_000 });

    await panel.getByRole('button', { name: 'Preview soft quarantine' }).click();
    await expect(panel.getByRole('heading', { name: /^Dry run:/ })).toBeVisible({ timeout: 60_000 });
    await expect(panel.locator('.change-list')).toContainText('NetworkPolicy');
    await expect(panel.locator('.change-list')).toContainText('dry run accepted');
    await page.screenshot({ path: 'test-results/screenshots/response-dry-run.png' });

    await panel.getByRole('button', { name: /^Apply soft quarantine/ }).click();
    const confirm = page.getByRole('alertdialog');
    await expect(confirm).toContainText('NetworkPolicy');
    await confirm.getByRole('button', { name: 'Apply' }).click();
    await expect(panel.locator('.response-result')).toContainText(/outcome (applied|unchanged)/, { timeout: 90_000 });
    await expect(panel.locator('.response-result')).toContainText('Action log entry #');
    await page.screenshot({ path: 'test-results/screenshots/response-applied.png' });

    // The cluster agrees: a Vigil quarantine NetworkPolicy now selects the pod.
    const pod = (await panel.getByRole('heading').first().textContent())!.split('/')[1]!.trim();
    const policies = kubectlJson(['get', 'networkpolicy', '-n', 'agents']);
    expect(policies.items.some((p) => p.metadata.labels?.['vigil.dev/quarantine'] !== undefined || p.metadata.name.includes(pod))).toBe(true);

    // Release (an admin's right in the lab: the responder may not touch cluster role bindings), so the lab is left as
    // it was.
    await pickContext(contextPicker, 'vigil-lab-admin');
    await expect(panel.getByRole('button', { name: 'Preview release' })).toBeEnabled({ timeout: 30_000 });
    await panel.getByRole('button', { name: 'Preview release' }).click();
    await expect(panel.getByRole('heading', { name: /^Dry run:/ })).toBeVisible({ timeout: 60_000 });
    await panel.getByRole('button', { name: /^Apply release/ }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Apply' }).click();
    await expect(panel.locator('.response-result')).toContainText(/outcome (applied|unchanged)/, { timeout: 90_000 });
    const after = kubectlJson(['get', 'networkpolicy', '-n', 'agents']);
    expect(after.items.some((p) => p.metadata.name.includes(pod) && p.metadata.labels?.['app.kubernetes.io/managed-by'] === 'vigil' && p.metadata.name.startsWith('vigil-quarantine'))).toBe(false);

    // The auditor sees the same story, with the controls disabled and the reason.
    await pickContext(contextPicker, 'vigil-lab-auditor');
    await expect(panel.getByRole('button', { name: 'Preview soft quarantine' })).toBeDisabled({ timeout: 30_000 });
    await expect(panel.locator('.reason-disabled').first()).toContainText('not allowed');
    await page.screenshot({ path: 'test-results/screenshots/response-auditor.png' });
  });
});
