// Loads the engine helper's lab-shaped fixtures into the workbench through the UI, as a responder would: the
// baseline traffic, then the attack scenario, with the lab's inventory.
import { expect, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('../fixtures/events/', import.meta.url));
export const fixtureFile = (name: string) => `${fixtures}${name}`;

export async function importScenario(page: Page, scenario = 'indirect-prompt-injection-exfil'): Promise<void> {
  await page.getByTestId('import-events').setInputFiles([fixtureFile('baseline-traffic.ndjson'), fixtureFile(`${scenario}.ndjson`), fixtureFile('inventory.json')]);
  await expect(page.locator('.case-title')).toContainText('events', { timeout: 30_000 });
}
