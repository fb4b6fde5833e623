// Live mode against the lab: follow the lab collector into a live case, run the baseline and then the
// prompt-injection exfiltration scenario, and see events stream in — and the story appear — without a reload. Prints
// the time from the attack scenario's start to its story on screen. Skips visibly without the lab.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readLabState } from '../lab/lab-state.js';
import { hostUrls } from './host.js';

const lab = readLabState();
const vigil = fileURLToPath(new URL('../../bin/vigil', import.meta.url));
const labMissing = !lab ? 'the lab is not up (vigil lab up)' : !lab.collector ? 'the lab collector is not running' : null;

function runScenario(name: string): void {
  execFileSync(vigil, ['scenario', 'run', name, '--json'], { stdio: ['ignore', 'pipe', 'inherit'], timeout: 240_000 });
}

test.describe('live mode against the lab', () => {
  test.skip(labMissing !== null, `live test skipped: ${labMissing}`);
  test.setTimeout(600_000);

  test('events stream into a live case and the attack story appears', async ({ page }) => {
    await page.goto(hostUrls().openUrl);
    await page.goto(`${hostUrls().url}#/clusters`);
    await page.getByRole('button', { name: 'Follow live events in a new live case' }).click();
    await expect(page.locator('.live-badge')).toContainText('live', { timeout: 20_000 });
    runScenario('baseline-traffic');
    await expect(page.locator('.case-title')).not.toContainText(' 0 events', { timeout: 60_000 });
    await page.goto(`${hostUrls().url}#/stories`);
    // The collector's buffer also replays older activity, and the engine may join the attack to an earlier story of
    // the same pod: what counts is a story that is new, or that gained steps, after the attack began.
    const rowsNow = () => page.locator('.story-table tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    // The replay of the collector's buffer and the baseline run must have settled first (rows unchanged for 3 s), or
    // a story still growing from them would pass for the attack's.
    let settled = JSON.stringify(await rowsNow());
    let stableSince = Date.now();
    for (const deadline = Date.now() + 120_000; Date.now() - stableSince < 3_000 && Date.now() < deadline; ) {
      await page.waitForTimeout(250);
      const now = JSON.stringify(await rowsNow());
      if (now !== settled) [settled, stableSince] = [now, Date.now()];
    }
    const before = new Set(await rowsNow());
    const started = Date.now();
    runScenario('indirect-prompt-injection-exfil');
    const scenarioDone = Date.now();
    await expect
      .poll(
        async () => {
          const arrivals = page.locator('.arrivals button');
          if (await arrivals.count()) await arrivals.click();
          // The attack's story: the research agent's, new or with more steps (the settled rows cannot change else).
          return (await rowsNow()).some((row) => !before.has(row) && row.includes('agents/research-agent'));
        },
        { timeout: 120_000, intervals: [100] },
      )
      .toBe(true);
    const seen = Date.now();
    console.log(
      `live: attack scenario start → its story on screen ${((seen - started) / 1000).toFixed(1)} s (scenario run ${((scenarioDone - started) / 1000).toFixed(1)} s, then ${((seen - scenarioDone) / 1000).toFixed(1)} s)`,
    );
    await page.screenshot({ path: 'test-results/screenshots/live-stories.png' });
    await page.locator('.live-badge').getByRole('button', { name: 'Stop' }).click();
    await expect(page.locator('.live-badge')).toContainText('stopped');
  });
});
