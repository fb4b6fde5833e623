// A newcomer opens the workbench from the URL `vigil serve` printed and walks through every view.
import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { hostUrls } from './host.js';

const views = ['Clusters', 'Graph', 'Stories', 'Timeline', 'Posture', 'Policies', 'Response', 'Evidence'];

test('without the token the host answers 401 and shows nothing', async ({ page, request }) => {
  const { url } = hostUrls();
  const response = await page.goto(url);
  expect(response?.status()).toBe(401);
  await expect(page.locator('nav')).toHaveCount(0);
  const api = await request.post(`${url}api/call/app.info`, { data: {} });
  expect(api.status()).toBe(401);
  expect(await api.text()).not.toContain('version');
});

test('the workbench loads and every view opens, by click and by key', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(hostUrls().openUrl);
  await expect(page).toHaveURL(/\/#?\/?$|#\/clusters/);
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('browser host');

  for (const [index, view] of views.entries()) {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: new RegExp(`^${view}`) }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(view);
    await expect(page).toHaveURL(new RegExp(`#/${view.toLowerCase()}$`));
    // Every view tells a newcomer what it is for when it has no data yet.
    await expect(page.locator('main .empty-state, main [data-view-ready]').first()).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/shell-${index + 1}-${view.toLowerCase()}.png` });
  }

  await page.locator('body').click();
  await page.keyboard.press('3');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Stories');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a deep link opens its view, and the dark theme follows the OS', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto(hostUrls().openUrl);
  await page.goto(`${hostUrls().url}#/evidence`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Evidence');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(15, 18, 22)');
  await page.screenshot({ path: 'test-results/screenshots/shell-dark-evidence.png' });
  await context.close();
});

test('no serious or critical accessibility violation in any view', async ({ page }) => {
  await page.goto(hostUrls().openUrl);
  for (const view of views) {
    await page.goto(`${hostUrls().url}#/${view.toLowerCase()}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(view);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${view}: ${v.id} — ${v.help}`)).toEqual([]);
  }
});
