// Workbench benchmark (issue 7): in Chromium, the real graph canvas at 1,000 / 5,000 / 10,000 nodes (≈3 edges per
// node) — time to first render (until the graph is painted and takes input) and frame times while panning and zooming
// with real mouse input, canvas vs WebGL, every node drawn vs the view the workbench opens with (workloads and shared
// groups collapsed), what cytoscape holds under the level of detail, and the time to expand one workload — and the
// timeline's brush latency at one million events. Frame times are also given as ratios to an idle page's frame
// interval measured in the same run (the display's own pace).
// Run: npx tsx test/bench/workbench-graph.ts   (needs /usr/bin/chromium or CHROMIUM_PATH)
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import http from 'node:http';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cache = path.join(process.env.VIGIL_CACHE ?? path.join(os.homedir(), '.cache/vigil'), 'workbench-bench');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const sizes = (process.env.BENCH_SIZES ?? '1000,5000,10000').split(',').map(Number);
/** WebGL is measured only where asked (BENCH_WEBGL=1): without a GPU, Chromium's WebGL is software (SwiftShader). */
const webglModes = process.env.BENCH_WEBGL === '1' ? [false, true] : [false];
const FRAMES = Number(process.env.BENCH_FRAMES ?? 60);
/** First render is repeated and its median reported: on a shared machine one run says little. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function buildPage(): Promise<void> {
  mkdirSync(cache, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'test/bench/workbench-bench-page.tsx')],
    bundle: true,
    format: 'esm',
    outfile: path.join(cache, 'bench.js'),
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: true,
    logLevel: 'warning',
  });
  writeFileSync(
    path.join(cache, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="app.css"></head><body><div id="stage" style="width:1280px;height:760px"></div><script type="module" src="bench.js"></script></body></html>`,
  );
  writeFileSync(path.join(cache, 'app.css'), readFileSync(path.join(root, 'renderer/src/styles/app.css')));
}

function serve(): Promise<{ url: string; close(): void }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = http.createServer((req, res) => {
    const file = path.join(cache, path.basename(new URL(req.url ?? '/', 'http://x').pathname) || 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    resolve({ url: `http://127.0.0.1:${port}/index.html`, close: () => server.close() });
  }));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

await buildPage();
const server = await serve();
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless=new', '--no-sandbox', '--disable-background-timer-throttling', ...(process.env.BENCH_GL_FLAGS ?? '').split(' ').filter(Boolean)],
});
const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
const pageErrors: string[] = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
await page.goto(server.url);
await page.waitForFunction(() => typeof window.bench === 'object');

const idle = await page.evaluate(() => window.bench.idleFrames(60));
const idleFrame = mean(idle);
console.log(`Chromium ${browser.version()} (headless, software GL), ${os.cpus().length} cores; idle frame interval ${fmt(idleFrame)} ms (baseline)`);
console.log('\nGraph: graph nodes/edges → in the view → held by cytoscape at first render | first render (median) | pan: mean frame, p95, fps, ×baseline | zoom: mean, p95, fps, ×baseline | after the zoom: held | expand one workload | a story path shown | zoomed in: held, after (settle + sync)');
for (const webgl of webglModes) {
  // Every element drawn (no level of detail: the reference), every node in view, the view the workbench opens with.
  for (const [collapsed, everything] of [[false, true], [false, false], [true, false]] as const) {
    for (const size of sizes) {
      const runs = [];
      for (let round = 0; round < ROUNDS; round++)
        runs.push(await page.evaluate(({ size, webgl, collapsed, everything }) => window.bench.graph(size, { webgl, collapsed, everything }), { size, webgl, collapsed, everything }));
      const firsts = runs.map((run) => run.firstRenderMs);
      const r = [...runs].sort((a, b) => a.firstRenderMs - b.firstRenderMs)[Math.floor(runs.length / 2)]!;
      // Real input, as a person pans (drag) and zooms (wheel), while the page records its frame intervals.
      const box = (await page.locator('[data-testid=graph-canvas]').boundingBox())!;
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      await page.evaluate(() => window.bench.startFrames());
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      for (let i = 0; i < FRAMES; i++) await page.mouse.move(cx + 200 * Math.sin(i / 8), cy + 80 * Math.cos(i / 8));
      await page.mouse.up();
      const pan = await page.evaluate(() => window.bench.stopFrames());
      await page.evaluate(() => window.bench.startFrames());
      for (let i = 0; i < FRAMES; i++) await page.mouse.wheel(0, i % 20 < 10 ? -60 : 60);
      await page.waitForTimeout(300);
      const zoom = await page.evaluate(() => window.bench.stopFrames());
      const line = (xs: number[]) => `${fmt(mean(xs))} ms, p95 ${fmt(percentile(xs, 0.95))} ms, ${fmt(1000 / mean(xs), 0)} fps, ×${fmt(mean(xs) / idleFrame, 2)}`;
      const after = await page.evaluate(() => window.bench.drawn());
      const expand = await page.evaluate(() => window.bench.expandOne());
      const story = await page.evaluate(() => window.bench.storyPath());
      // Zoomed in to where labels are read: the edges of the nodes in view arrive once the viewport settles.
      const closer = r.drawnEdges < r.edges ? await page.evaluate(() => window.bench.zoomIn(0.8)) : null;
      console.log(
        `${webgl ? 'webgl ' : 'canvas'} ${collapsed ? 'as opened ' : everything ? 'everything' : 'all nodes '} ${String(size).padStart(6)}: ${r.graphNodes}/${r.graphEdges} → ${r.nodes}/${r.edges} → ${r.drawnNodes}/${r.drawnEdges} | ${fmt(r.firstRenderMs, 0)} ms (view model ${fmt(r.viewMs, 0)} ms, cytoscape ${fmt(r.addMs, 0)} ms; ${runs.length} runs ${fmt(Math.min(...firsts), 0)}–${fmt(Math.max(...firsts), 0)} ms) | pan ${line(pan)} | zoom ${line(zoom)} | ${after.drawnNodes}/${after.drawnEdges} | ${expand ? `${fmt(expand.ms, 0)} ms` : '-'} | ${fmt(story.ms, 0)} ms (${story.pathEdges} path edges, ${story.dimmed} dimmed) | ${closer ? `zoom ${closer.zoom}: ${closer.drawnNodes}/${closer.drawnEdges} after ${fmt(closer.ms, 0)} ms` : '-'}`,
      );
    }
  }
}

const timeline = await page.evaluate(() => window.bench.timeline(1_000_000));
await page.waitForSelector('[data-testid=timeline-brush]');
const brush = (await page.locator('[data-testid=timeline-brush]').boundingBox())!;
await page.evaluate(() => performance.clearMeasures('timeline-brush'));
const y = brush.y + brush.height / 2;
await page.mouse.move(brush.x + brush.width * 0.2, y);
await page.mouse.down();
for (let i = 1; i <= 60; i++) await page.mouse.move(brush.x + brush.width * (0.2 + i * 0.01), y);
await page.mouse.up();
const brushMs = await page.evaluate(() => performance.getEntriesByName('timeline-brush').map((m) => m.duration));
console.log(`\nTimeline: ${timeline.events.toLocaleString('en')} events, series built in ${fmt(timeline.buildMs, 0)} ms; brush latency (input handler → detail canvas redrawn) over ${brushMs.length} moves: mean ${fmt(mean(brushMs), 2)} ms, p95 ${fmt(percentile(brushMs, 0.95), 2)} ms, max ${fmt(Math.max(...brushMs), 2)} ms (×${fmt(mean(brushMs) / idleFrame, 3)} of a frame)`);
if (pageErrors.length) console.log(`page errors: ${pageErrors.join('; ')}`);
await browser.close();
server.close();
