// A responder reads the case on the timeline: zooms, brushes a window, and sees the events in it; a story's link
// opens the timeline on the story's window with its steps marked.
import { expect, test } from '@playwright/test';
import { hostUrls } from './host.js';
import { importScenario } from './case-fixture.js';

test('zoom and brush the timeline, and read the events of the window', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(hostUrls().openUrl);
  await importScenario(page);
  await page.goto(`${hostUrls().url}#/timeline`);
  await expect(page.locator('.timeline-scope')).toContainText('Every event of the case: 2,263');
  const windowTitle = page.locator('.window-events .panel-title');
  await expect(windowTitle).toContainText('2,263 events in the window, the first 100');

  const brush = page.getByTestId('timeline-brush');
  const box = (await brush.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.99, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(windowTitle).not.toContainText('2,263 events');
  const detailLabel = await page.getByTestId('timeline-detail').getAttribute('aria-label');
  expect(detailLabel).toMatch(/^Event density from /);

  const detail = page.getByTestId('timeline-detail');
  const before = await detail.getAttribute('aria-label');
  await detail.hover();
  await page.mouse.wheel(0, -400);
  await expect(detail).not.toHaveAttribute('aria-label', before!);
  await page.screenshot({ path: 'test-results/screenshots/timeline.png' });

  await page.goto(`${hostUrls().url}#/stories`);
  await page.locator('.story-table tbody tr').first().getByRole('link').click();
  await page.getByRole('link', { name: 'Its events on the timeline' }).click();
  await expect(page.locator('.timeline-scope')).toContainText('Steps of');
  await expect(windowTitle).toContainText('events in the window');
  await page.screenshot({ path: 'test-results/screenshots/timeline-story.png' });
  expect(errors).toEqual([]);
});
