// A responder follows a story's path in the execution graph and opens the events behind the exfiltration edge.
import { expect, test } from '@playwright/test';
import { hostUrls } from './host.js';
import { importScenario } from './case-fixture.js';

test('the story path in the graph, and the events behind the exfiltration edge', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(hostUrls().openUrl);
  await importScenario(page);
  await page.goto(`${hostUrls().url}#/stories`);
  await page.locator('.story-table tbody tr').first().getByRole('link').click();
  await page.getByRole('link', { name: 'Show its path in the graph' }).click();
  await expect(page).toHaveURL(/#\/graph\/story\/story-/);
  await expect(page.locator('.graph-status')).toContainText('path of');
  await expect(page.getByTestId('graph-canvas')).toHaveAttribute('aria-label', /Execution graph: \d+ nodes/);

  // The path is drawn highlighted, the rest dimmed; clicking the exfiltration edge shows its events.
  const edge = await page.evaluate(() => {
    const cy = (document.querySelector('[data-testid=graph-canvas]') as unknown as { _cyreg?: { cy: import('cytoscape').Core } })._cyreg!.cy;
    const exfil = cy.edges('.path').filter((e) => e.target().id().includes('collect.exfil.example'))[0]!;
    const dimmed = cy.elements('.dimmed').length;
    const pos = exfil.renderedMidpoint();
    return { id: exfil.id(), dimmed, pos, path: cy.elements('.path').length };
  });
  expect(edge.path).toBeGreaterThan(3);
  expect(edge.dimmed).toBeGreaterThan(0);
  const box = (await page.getByTestId('graph-canvas').boundingBox())!;
  await page.mouse.click(box.x + edge.pos.x, box.y + edge.pos.y);
  const details = page.getByRole('complementary', { name: 'Selection' });
  await expect(details).toContainText('collect.exfil.example');
  await expect(details.locator('.event-list li').first()).toBeVisible();
  await expect(details.locator('.event-list')).toContainText(/net\.(connect|close)|http\.request/);
  await page.screenshot({ path: 'test-results/screenshots/graph-story-path.png' });

  // Filters: hiding the API lane removes the exfiltration edge.
  await page.getByLabel('api', { exact: true }).uncheck();
  await expect(page.locator('.graph-status')).toContainText('filtered out');
  await page.getByLabel('api', { exact: true }).check();
  await page.goto(`${hostUrls().url}#/graph`);
  await expect(page.locator('.graph-status')).not.toContainText('path of');
  await page.screenshot({ path: 'test-results/screenshots/graph.png' });

  // Aggregation on demand: the exfiltration host folds into its domain's group, and the group opens again.
  const nodesShown = async () => Number((await page.locator('.graph-status').textContent())!.match(/([\d,]+) nodes/)![1]!.replace(/,/g, ''));
  const before = await nodesShown();
  await page.goto(`${hostUrls().url}#/graph/node/${encodeURIComponent('api:collect.exfil.example:443')}`);
  await details.getByRole('button', { name: 'Collapse into *.exfil.example' }).click();
  await expect.poll(nodesShown).toBeLessThan(before);
  const group = await page.evaluate(() => {
    const cy = (document.querySelector('[data-testid=graph-canvas]') as unknown as { _cyreg?: { cy: import('cytoscape').Core } })._cyreg!.cy;
    const node = cy.getElementById('group:api:*.exfil.example');
    return { collapsed: node.hasClass('collapsed'), label: String(node.data('label')), pos: node.renderedPosition(), exfilEdges: node.connectedEdges().length };
  });
  expect(group.collapsed).toBe(true);
  expect(group.label).toMatch(/^\*\.exfil\.example \(\+\d+\)$/);
  expect(group.exfilEdges).toBeGreaterThan(0);
  const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
  await page.mouse.click(canvas.x + group.pos.x, canvas.y + group.pos.y);
  await expect(details.getByRole('heading', { level: 2 })).toHaveText('*.exfil.example');
  await expect(details.locator('.event-list li').first()).toBeVisible();
  await details.getByRole('button', { name: /^Expand \(\d+ api nodes\)$/ }).click();
  await expect.poll(nodesShown).toBe(before);
  expect(errors).toEqual([]);
});
