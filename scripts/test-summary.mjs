// Reads the machine-readable results of every suite that ran (vitest JSON, go test -json, Playwright JSON) and
// prints one count per suite and the closing line CI reads: "tests: N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

const dir = process.argv[2] ?? 'test-results';
const suites = [];

function vitest(name, file) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  suites.push({ name, passed: r.numPassedTests, failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0), skipped });
}

function goTest(name, file) {
  if (!existsSync(file)) return;
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    let e;
    try { e = JSON.parse(line); } catch { continue; }
    if (!e.Test) {
      if (e.Action === 'fail' && e.Package) counts.failed += 1; // a package that failed to build or crashed
      continue;
    }
    if (e.Action === 'pass') counts.passed += 1;
    else if (e.Action === 'fail') counts.failed += 1;
    else if (e.Action === 'skip') counts.skipped += 1;
  }
  suites.push({ name, ...counts });
}

function playwright(name, file) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const s = r.stats ?? {};
  suites.push({ name, passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: (s.unexpected ?? 0) + (r.errors?.length ?? 0), skipped: s.skipped ?? 0 });
}

vitest('unit (vitest)', `${dir}/unit.json`);
goTest('collector (go test)', `${dir}/go-test.json`);
vitest('integration (lab, vitest)', `${dir}/integration.json`);
playwright('end-to-end (Playwright, Chromium)', `${dir}/e2e-results.json`);

const total = { passed: 0, failed: 0, skipped: 0 };
console.log('\n== Test summary ==');
for (const s of suites) {
  console.log(`  ${s.name.padEnd(36)} ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
  total.passed += s.passed;
  total.failed += s.failed;
  total.skipped += s.skipped;
}
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
