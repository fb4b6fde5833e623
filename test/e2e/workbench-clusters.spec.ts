// A responder opens Clusters: every kubeconfig context Vigil can see is listed with its live connection state (or an
// honest empty state), the collector's health or why there is none, and what the open case holds.
import { expect, test } from '@playwright/test';
import { hostUrls } from './host.js';
import { importScenario } from './case-fixture.js';

test('clusters, collector and the open case counts', async ({ page }) => {
  await page.goto(hostUrls().openUrl);
  await importScenario(page);
  await page.goto(`${hostUrls().url}#/clusters`);
  await expect(page.getByRole('button', { name: 'Check again' })).toBeEnabled({ timeout: 20_000 });
  await expect(page.getByRole('table', { name: 'Kubernetes contexts' }).or(page.getByRole('region', { name: 'No cluster connected yet' }))).toBeVisible();
  await expect(page.getByRole('region', { name: 'Collector' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Open case' })).toContainText('2,263 events');
  await expect(page.getByRole('region', { name: 'Open case' })).toContainText('without pod attribution');
  await page.screenshot({ path: 'test-results/screenshots/clusters.png' });
});
