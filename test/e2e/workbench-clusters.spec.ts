// A responder opens Clusters: every kubeconfig context Vigil can see is listed with its live connection state (or an
// honest empty state), the collector's health or why there is none, and what the open case holds.
import { expect, test } from '@playwright/test';
import { hostUrls } from './host.js';
import { importScenario } from './case-fixture.js';
import { readLabState } from '../lab/lab-state.js';

test('clusters, collector and the open case counts', async ({ page }) => {
  await page.goto(hostUrls().openUrl);
  await importScenario(page);
  await page.goto(`${hostUrls().url}#/clusters`);
  await expect(page.getByRole('button', { name: 'Check again' })).toBeEnabled({ timeout: 20_000 });
  await expect(page.getByRole('table', { name: 'Kubernetes contexts' }).or(page.getByRole('region', { name: 'No cluster connected yet' }))).toBeVisible();
  await expect(page.getByRole('region', { name: 'Collector', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Open case' })).toContainText('2,263 events');
  await expect(page.getByRole('region', { name: 'Open case' })).toContainText('without pod attribution');
  await page.screenshot({ path: 'test-results/screenshots/clusters.png' });
});

test('collectors per node: the lab context finds the lab collector, healthy, with its figures', async ({ page }) => {
  const lab = readLabState();
  test.skip(!lab?.collector, 'lab collector test skipped: the lab or its collector is not up (vigil lab up)');
  await page.goto(`${hostUrls().openUrl}`);
  await page.goto(`${hostUrls().url}#/clusters`);
  const panel = page.getByRole('region', { name: 'Collectors per node' });
  await expect(panel.getByRole('button', { name: 'Find collectors' })).toBeEnabled({ timeout: 30_000 });
  await panel.getByRole('button', { name: 'Find collectors' }).click();
  const table = panel.getByRole('table', { name: /^Collectors of / });
  await expect(table).toBeVisible({ timeout: 30_000 });
  const row = table.getByRole('row').filter({ hasText: 'runs on the lab machine' });
  await expect(row).toContainText('directly (lab)');
  await expect(row).toContainText('healthy');
  await page.screenshot({ path: 'test-results/screenshots/clusters-collectors.png' });
});
