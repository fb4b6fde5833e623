// Exports a case in the formats other tools and people read: OCSF 1.3 JSON lines (one record per line: events of
// the four mapped classes, then one Detection Finding per story), a self-contained HTML report, and that report as
// a PDF printed by Debian's Chromium. Every value is redacted before it is written, like in a bundle.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { verifyActionChain } from '../../shared/evidence/action-chain.js';
import { controlsInvolved, incidentFigures } from '../../shared/evidence/compliance-map.js';
import { renderHtmlReport, type ReportAction, type ReportEvent, type ReportInput } from '../../shared/evidence/html-report.js';
import { notableSummary, toReportEvent } from '../../shared/evidence/notable-events.js';
import { OCSF_VERSION, storyForOcsfSchema, storyToDetectionFinding, toOcsf, type OcsfProduct, type StoryForOcsf } from '../../shared/evidence/ocsf.js';
import { findSecrets, redactText, redactValue, type RedactionCounts } from '../../shared/evidence/redaction.js';
import { VIGIL_VERSION } from '../version.js';
import { ExportError } from './bundle-writer.js';
import type { EngineOutputs, EvidenceContent, ExportProgress } from './evidence-content.js';

const PRODUCT: OcsfProduct = { name: 'Vigil', vendor_name: 'Vigil', version: VIGIL_VERSION };
const MAX_NOTABLE_EVENTS = 300;

function engineOf(content: EvidenceContent): EngineOutputs {
  return typeof content.engine === 'function' ? content.engine() : content.engine;
}

function storiesOf(engine: EngineOutputs): StoryForOcsf[] {
  if (engine.stories === undefined) return [];
  const list = Array.isArray(engine.stories) ? engine.stories : (engine.stories as { stories?: unknown }).stories;
  if (!Array.isArray(list)) throw new ExportError('stories.json holds neither a list of stories nor {"stories": [...]}; nothing was exported');
  return list.map((story, index) => {
    const parsed = storyForOcsfSchema.safeParse(story);
    if (!parsed.success) throw new ExportError(`story ${index + 1} does not have the story shape (${parsed.error.issues[0]?.message}); nothing was exported`);
    return parsed.data;
  });
}

async function writeAtomically(out: string, write: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = `${out}.partial-${process.pid}`;
  try {
    await write(temporary);
    await rename(temporary, out);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export interface OcsfExportResult {
  ocsfVersion: string;
  records: number;
  byClass: Record<string, number>;
  /** Events whose kind has no class among the four exported, by kind. */
  unmapped: Record<string, number>;
}

export async function writeOcsf(content: EvidenceContent, out: string, onProgress?: (p: ExportProgress) => void): Promise<OcsfExportResult> {
  const result: OcsfExportResult = { ocsfVersion: OCSF_VERSION, records: 0, byClass: {}, unmapped: {} };
  const counts: RedactionCounts = {};
  await writeAtomically(out, async (temporary) => {
    const stream = createWriteStream(temporary, { flags: 'wx' });
    let batch = '';
    let seen = 0;
    const emit = async (record: Record<string, unknown>) => {
      const line = JSON.stringify(record);
      batch += `${redactText(line) === line ? line : JSON.stringify(redactValue(record, counts))}\n`;
      result.records++;
      const className = String(record.class_name);
      result.byClass[className] = (result.byClass[className] ?? 0) + 1;
      if (batch.length > 1 << 20) {
        if (!stream.write(batch)) await once(stream, 'drain');
        batch = '';
      }
    };
    for await (const { event } of content.events()) {
      seen++;
      if (seen % 50_000 === 0) onProgress?.({ phase: 'events', done: seen });
      const record = toOcsf(event, PRODUCT);
      if (record) await emit(record);
      else result.unmapped[event.kind] = (result.unmapped[event.kind] ?? 0) + 1;
    }
    const exportedAt = new Date().toISOString();
    for (const story of storiesOf(engineOf(content))) await emit(storyToDetectionFinding(story, PRODUCT, exportedAt));
    stream.end(batch);
    await once(stream, 'close');
  });
  return result;
}

function actionRows(log: string | null): { rows: ReportAction[]; intact: boolean | null } {
  if (log === null) return { rows: [], intact: null };
  const verdict = verifyActionChain(log);
  const rows = log
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line): ReportAction[] => {
      try {
        const entry = JSON.parse(line) as Record<string, any>;
        const target = entry.target ? `${entry.target.namespace ?? ''}/${entry.target.pod ?? ''} (${entry.target.context ?? ''})` : '';
        return [{ seq: Number(entry.seq), time: String(entry.time ?? ''), actor: String(entry.actor?.username ?? ''), action: String(entry.action ?? ''), target, outcome: String(entry.outcome ?? ''), hash: String(entry.hash ?? '') }];
      } catch {
        return [];
      }
    });
  return { rows, intact: verdict.intact };
}

/** Reads the events once and gathers what the report shows. */
export async function buildReportInput(content: EvidenceContent, onProgress?: (p: ExportProgress) => void): Promise<ReportInput> {
  const stats = { count: 0, byKind: {} as Record<string, number>, firstTime: null as string | null, lastTime: null as string | null };
  const notable: ReportEvent[] = [];
  let notableOmitted = 0;
  for await (const { event } of content.events()) {
    stats.count++;
    stats.byKind[event.kind] = (stats.byKind[event.kind] ?? 0) + 1;
    if (stats.firstTime === null || event.time < stats.firstTime) stats.firstTime = event.time;
    if (stats.lastTime === null || event.time > stats.lastTime) stats.lastTime = event.time;
    if (stats.count % 50_000 === 0) onProgress?.({ phase: 'events', done: stats.count });
    const summary = notableSummary(event);
    if (summary === undefined) continue;
    if (notable.length < MAX_NOTABLE_EVENTS) notable.push(toReportEvent(event, summary));
    else notableOmitted++;
  }
  const actions = actionRows(content.actionLog);
  const stories = storiesOf(engineOf(content));
  const input: ReportInput = {
    title: content.title,
    caseId: content.caseId,
    generatedAt: new Date().toISOString(),
    toolVersion: VIGIL_VERSION,
    source: `${content.source.kind} ${content.source.location}`,
    clusters: content.inventory.map((s) => ({ context: s.context, clusterId: s.clusterId })),
    events: stats,
    stories,
    actions: actions.rows,
    actionLogIntact: actions.intact,
    notableEvents: notable,
    notableEventsOmitted: notableOmitted,
    notes: content.notes.map((n) => ({ time: n.time, author: n.author, text: n.text })),
    omitted: content.omitted,
    controls: controlsInvolved(stories.flatMap((s) => s.techniques), actions.rows.map((a) => a.action)),
    figures: incidentFigures(stories.flatMap((s) => s.steps.map((step) => step.time)), actions.rows),
  };
  return redactValue(input);
}

async function renderReport(content: EvidenceContent, onProgress?: (p: ExportProgress) => void): Promise<string> {
  const html = renderHtmlReport(await buildReportInput(content, onProgress));
  const leftover = findSecrets(html);
  if (leftover.length > 0) throw new ExportError(`the report still holds a ${leftover[0]!.kind} after redaction; nothing was exported`);
  return html;
}

export async function writeHtmlReport(content: EvidenceContent, out: string, onProgress?: (p: ExportProgress) => void): Promise<{ bytes: number }> {
  const html = await renderReport(content, onProgress);
  await writeAtomically(out, (temporary) => writeFile(temporary, html, { flag: 'wx' }));
  return { bytes: Buffer.byteLength(html) };
}

export const CHROMIUM = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';

/** Chromium flags for rendering Vigil's own files: no network, no profile, no GPU. */
export const OFFLINE_CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

/** Prints a local HTML file to PDF with Chromium headless. */
export async function printHtmlToPdf(htmlFile: string, pdfFile: string): Promise<void> {
  if (!(await stat(CHROMIUM).then((s) => s.isFile(), () => false))) {
    throw new ExportError(`PDF export needs Chromium at ${CHROMIUM} (run scripts/install/evidence.sh, or set VIGIL_CHROMIUM); nothing was exported`);
  }
  const profile = await mkdtemp(path.join(os.tmpdir(), 'vigil-pdf-'));
  try {
    const child = spawn(CHROMIUM, [...OFFLINE_CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--no-pdf-header-footer', `--print-to-pdf=${pdfFile}`, `file://${htmlFile}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    const made = await stat(pdfFile).then((s) => s.size > 0, () => false);
    if (code !== 0 || !made) throw new ExportError(`Chromium could not print the report to PDF (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

export async function writePdfReport(content: EvidenceContent, out: string, onProgress?: (p: ExportProgress) => void): Promise<{ bytes: number }> {
  const html = await renderReport(content, onProgress);
  const work = await mkdtemp(path.join(os.tmpdir(), 'vigil-report-'));
  try {
    const htmlFile = path.join(work, 'report.html');
    await writeFile(htmlFile, html);
    await writeAtomically(out, (temporary) => printHtmlToPdf(htmlFile, temporary));
    return { bytes: (await stat(out)).size };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
