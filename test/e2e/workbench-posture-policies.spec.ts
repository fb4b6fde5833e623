// A responder compares what the research agent may do with what it did, then reads the policies Vigil generates for
// it and their audit replay over the attack: the exfiltration would have been blocked.
import { expect, test } from '@playwright/test';
import { hostUrls } from './host.js';
import { importScenario } from './case-fixture.js';

test('posture of the agent, and generated policies with their audit replay', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(hostUrls().openUrl);
  await importScenario(page);

  await page.goto(`${hostUrls().url}#/posture`);
  await page.getByLabel('Workload').selectOption('agents/research-agent');
  await expect(page).toHaveURL(/#\/posture\/agents%2Fresearch-agent$/);
  await expect(page.getByRole('heading', { name: 'Blast radius' })).toBeVisible();
  await expect(page.locator('.radius').first()).toContainText('Internet reachable');
  await page.screenshot({ path: 'test-results/screenshots/posture.png' });

  await page.locator('.posture-view').getByRole('link', { name: 'its generated policies' }).click();
  await expect(page).toHaveURL(/#\/policies\/agents%2Fresearch-agent-/);
  const network = page.locator('.policy-card').filter({ has: page.getByRole('heading', { name: /^NetworkPolicy/ }) });
  await expect(network.locator('.policy-text')).toContainText('kind: NetworkPolicy');
  await expect(network.locator('.replay-blocked')).toContainText('Would have blocked');
  await expect(network.locator('.blocked-list')).toContainText('203.0.113.66');
  await network.locator('.blocked-list button').first().click();
  await expect(network.locator('.blocked-list .event-list li').first()).toBeVisible();
  const seccomp = page.locator('.policy-card').filter({ has: page.getByRole('heading', { name: /^Seccomp/ }) });
  await seccomp.getByLabel('Format').selectOption('json');
  await expect(seccomp.locator('.policy-text')).toContainText('SCMP_ACT_ALLOW');
  const download = page.waitForEvent('download');
  await network.getByRole('button', { name: /^Save / }).click();
  expect((await download).suggestedFilename()).toMatch(/^agents_research-agent-.*\.networkpolicy\.yaml$/);
  await page.screenshot({ path: 'test-results/screenshots/policies.png' });
  expect(errors).toEqual([]);
});

test('the AI inventory marks shadow AI and exports the runtime AI-BOM', async ({ page }) => {
  await page.goto(hostUrls().openUrl);
  await importScenario(page, 'shadow-ai');
  await page.goto(`${hostUrls().url}#/inventory`);
  const table = page.getByRole('table', { name: 'AI components and services' });
  await expect(table).toBeVisible({ timeout: 20_000 });
  await expect(table).toContainText('gpt-4o-mini');
  await expect(page.locator('.shadow-badge').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/ai-inventory.png' });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /Export AI-BOM/ }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.aibom\.cdx\.json$/);
  const bom = JSON.parse(await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8')) as { bomFormat: string; specVersion: string };
  expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
});
