// A responder imports a recorded case and works its story: list, story page, evidence, verdict and notes, and finds
// everything again after a restart.
import { expect, test } from '@playwright/test';
import { hostUrls } from './host.js';
import { importScenario } from './case-fixture.js';

test('the story of the prompt-injection exfiltration, with its evidence, verdict and notes', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(hostUrls().openUrl);
  await importScenario(page);
  await page.goto(`${hostUrls().url}#/stories`);
  const rows = page.locator('.story-table tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(/critical|high/i);
  await page.screenshot({ path: 'test-results/screenshots/stories-list.png' });

  await rows.first().getByRole('link').click();
  await expect(page).toHaveURL(/#\/stories\/story-/);
  await expect(page.getByRole('heading', { name: 'What happened' })).toBeVisible();
  await expect(page.locator('.techniques')).toContainText('T1567');
  await expect(page.locator('.techniques')).toContainText('Exfiltration Over Web Service');
  await expect(page.locator('.steps > li')).toHaveCount(5);
  await expect(page.locator('.story-timeline .steps g')).toHaveCount(5);
  await page.screenshot({ path: 'test-results/screenshots/story-page-top.png' });

  // The evidence behind the last step (the exfiltration) is one click away.
  await page.locator('.steps > li').last().locator('summary').first().click();
  await expect(page.locator('.steps > li').last().locator('.event-list li').first()).toBeVisible();
  await expect(page.locator('.steps > li').last().locator('.event-list')).toContainText('collect.exfil.example');

  await page.getByLabel('True positive').check();
  await page.getByLabel('Add a note').fill('Confirmed with the agent owner: no export was scheduled.');
  await page.getByRole('button', { name: 'Save note' }).click();
  await expect(page.locator('.notes')).toContainText('no export was scheduled');
  await page.screenshot({ path: 'test-results/screenshots/story-page.png' });

  // A restart: the case, the verdict and the note are back.
  const storyUrl = page.url();
  await page.reload();
  await expect(page.locator('.case-title')).toContainText('baseline-traffic.ndjson', { timeout: 30_000 });
  await expect(page).toHaveURL(storyUrl);
  await expect(page.getByLabel('True positive')).toBeChecked();
  await expect(page.locator('.notes')).toContainText('no export was scheduled');
  expect(errors).toEqual([]);
});

test('a malformed events file is refused with the line, and nothing is imported', async ({ page }) => {
  await page.goto(hostUrls().openUrl);
  await page.getByTestId('import-events').setInputFiles({ name: 'broken.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from('{"id":"x"}\n') });
  await expect(page.getByRole('alert')).toContainText('broken.ndjson, line 1: not a Vigil event');
  await expect(page.getByRole('alert')).toContainText('Nothing was imported');
  await expect(page.locator('.case-title')).toContainText('No case open');
});
