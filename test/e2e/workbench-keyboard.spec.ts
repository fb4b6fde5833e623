// A responder at 2 a.m. works from the keyboard: the palette finds the story, `n` walks the stories, `[` goes
// back, the theme switches; and with a real case loaded, axe finds nothing serious in any view.
import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { hostUrls } from './host.js';
import { importScenario } from './case-fixture.js';

test('command palette, next story, back, theme', async ({ page }) => {
  await page.goto(hostUrls().openUrl);
  await importScenario(page);
  await page.locator('body').click();
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await page.keyboard.type('exfiltration');
  await expect(palette.getByRole('option').first()).toContainText('Story');
  await page.screenshot({ path: 'test-results/screenshots/command-palette.png' });
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/stories\/story-/);
  const storyUrl = page.url();

  await page.keyboard.press('1');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Clusters');
  await page.keyboard.press('[');
  await expect(page).toHaveURL(storyUrl);
  await page.keyboard.press('4');
  await page.keyboard.press('n');
  await expect(page).toHaveURL(storyUrl);

  await page.keyboard.press('/');
  await page.keyboard.type('collect.exfil');
  await palette.getByRole('button', { name: /Search events for/ }).click();
  await expect(palette.getByRole('list', { name: 'Matching events' })).toContainText('collect.exfil.example');
  await page.keyboard.press('Escape');

  await page.keyboard.press('Control+k');
  await page.keyboard.type('dark theme');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 18, 22)');
  await page.reload();
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 18, 22)');
  await expect(page.getByRole('heading', { name: 'What happened' })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: 'test-results/screenshots/story-dark.png' });
});

test('no serious or critical accessibility violation in any view with a case loaded', async ({ page }) => {
  await page.goto(hostUrls().openUrl);
  await importScenario(page);
  const storyHref = await (async () => {
    await page.goto(`${hostUrls().url}#/stories`);
    return page.locator('.story-table tbody tr a').first().getAttribute('href');
  })();
  const routes = ['clusters', 'graph', 'stories', storyHref!.slice(2), `graph/story/${storyHref!.split('/').pop()}`, 'timeline', 'posture/agents%2Fresearch-agent', 'policies', 'response', 'evidence', 'inventory'];
  for (const route of routes) {
    await page.goto(`${hostUrls().url}#/${route}`);
    await expect(page.locator('main [data-view-ready], main .empty-state').first()).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${route}: ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`)).toEqual([]);
  }
});
