// Reads the machine-readable results of every suite that ran (vitest JSON, go test -json, Playwright JSON) and
// prints one count per suite and the closing line CI reads: "tests: N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

const dir = process.argv[2] ?? 'test-results';
const suites = [];
const failures = []; // "suite › test: first line of the error", printed last so a CI log's tail names them

function firstLine(text) {
  return String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim()) ?? '';
}

function vitest(name, file) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  suites.push({ name, passed: r.numPassedTests, failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0), skipped });
  for (const f of r.testResults ?? []) {
    const file = String(f.name ?? '').replace(process.cwd() + '/', '');
    if (f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')) {
      failures.push(`${name} › ${file}: ${firstLine(f.message)}`);
    }
    for (const a of f.assertionResults ?? []) {
      if (a.status === 'failed') failures.push(`${name} › ${file} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    }
  }
}

function goTest(name, file) {
  if (!existsSync(file)) return;
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    let e;
    try { e = JSON.parse(line); } catch { continue; }
    if (!e.Test) {
      if (e.Action === 'fail' && e.Package) { // a package that failed to build or crashed
        counts.failed += 1;
        failures.push(`${name} › ${e.Package} (the package failed as a whole)`);
      }
      continue;
    }
    if (e.Action === 'pass') counts.passed += 1;
    else if (e.Action === 'fail') {
      counts.failed += 1;
      failures.push(`${name} › ${e.Package} › ${e.Test}`);
    }
    else if (e.Action === 'skip') counts.skipped += 1;
  }
  suites.push({ name, ...counts });
}

function playwright(name, file) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const s = r.stats ?? {};
  suites.push({ name, passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: (s.unexpected ?? 0) + (r.errors?.length ?? 0), skipped: s.skipped ?? 0 });
  const walk = (suite, path) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue;
        const err = t.results?.at(-1)?.error?.message;
        failures.push(`${name} › ${[...path, spec.title].join(' › ')}: ${firstLine(err)}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
  };
  for (const suite of r.suites ?? []) walk(suite, [suite.title]);
  for (const e of r.errors ?? []) failures.push(`${name}: ${firstLine(e.message)}`);
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
if (failures.length > 0) {
  console.log('\n== Failed tests ==');
  for (const f of failures) console.log(`  ✗ ${f.slice(0, 400)}`);
}
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
