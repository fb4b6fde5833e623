// Unpacks a bundle into a new case folder, for offline review. The archive's structure is checked before anything
// is written (hostile names, sizes, types: zip-reader.ts); then every file is written only inside the new folder,
// and every JSON file is parsed and checked against its schema on the way. Any failure removes the folder again,
// so a rejected bundle leaves nothing behind. A bundle that is sound but does not verify is unpacked with an
// UNVERIFIED.txt listing why, so a reviewer can still see it, clearly marked.
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { z } from 'zod';
import { caseRecordSchema, notesSchema, queryRecordSchema } from '../../shared/evidence/case-record.js';
import { dsseEnvelopeSchema } from '../../shared/evidence/dsse.js';
import { BUNDLE_FILES, BUNDLE_FOLDERS } from '../../shared/evidence/layout.js';
import { manifestSchema } from '../../shared/evidence/manifest.js';
import { runtimeEventSchema } from '../../shared/model/event.js';
import { inventorySnapshotSchema } from '../../shared/model/inventory.js';
import { verifyBundle, type VerificationReport } from './bundle-verifier.js';
import type { TrustedKeys } from './trusted-keys.js';
import { BundleFormatError, ZipArchiveReader, type ReadLimits, type ZipEntry } from './zip-reader.js';

export interface ExtractResult {
  directory: string;
  verified: boolean;
  files: string[];
  report: VerificationReport;
}

const anyJson = z.unknown();
const jsonLineObject = z.record(z.string(), z.unknown());

/** The schema a whole-file JSON entry must meet; undefined for files that are not JSON documents. */
function documentSchema(name: string): z.ZodType | undefined {
  if (name === BUNDLE_FILES.case) return caseRecordSchema;
  if (name === BUNDLE_FILES.notes) return notesSchema;
  if (name === BUNDLE_FILES.manifest) return manifestSchema;
  if (name === BUNDLE_FILES.signature) return dsseEnvelopeSchema;
  if (name.startsWith(BUNDLE_FOLDERS.inventory)) return inventorySnapshotSchema;
  if (name.endsWith('.json')) return anyJson;
  return undefined;
}

/** The schema each line of a JSON-lines entry must meet. */
function lineSchema(name: string): z.ZodType | undefined {
  if (name === BUNDLE_FILES.events) return runtimeEventSchema;
  if (name === BUNDLE_FILES.queries) return queryRecordSchema;
  if (name === BUNDLE_FILES.actions) return jsonLineObject;
  return undefined;
}

function malformed(file: string, name: string, where: string, problem: string): never {
  throw new BundleFormatError(`${file} is not a readable bundle: ${name}${where} ${problem}`);
}

function checkJson(file: string, name: string, where: string, text: string, schema: z.ZodType): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    malformed(file, name, where, `is not valid JSON (${(error as Error).message})`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    malformed(file, name, where, `has the wrong shape (${issue ? `${issue.path.join('.') || 'top level'}: ${issue.message}` : 'invalid'})`);
  }
}

async function writeLines(reader: ZipArchiveReader, entry: ZipEntry, target: string, schema: z.ZodType): Promise<void> {
  const out = createWriteStream(target, { flags: 'wx' });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let lineNumber = 0;
  const checkLine = (line: string) => {
    lineNumber++;
    if (line.trim() !== '') checkJson(reader.path, entry.name, ` line ${lineNumber}`, line, schema);
  };
  try {
    for await (const chunk of reader.chunks(entry)) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        malformed(reader.path, entry.name, '', 'is not UTF-8 text');
      }
      const lines = (pending + text).split('\n');
      pending = lines.pop()!;
      lines.forEach(checkLine);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    checkLine(pending);
  } finally {
    out.end();
    await once(out, 'close');
  }
}

/** Verifies `file` and unpacks it into `directory`, which must not exist. Throws BundleFormatError for a bad archive. */
export async function extractBundle(file: string, directory: string, options: { trusted: TrustedKeys; limits?: ReadLimits }): Promise<ExtractResult> {
  const reader = await ZipArchiveReader.open(file, options.limits);
  if (await stat(directory).then(() => true, () => false)) {
    throw new BundleFormatError(`${directory} already exists; give a new folder to extract into (nothing was written)`);
  }
  const report = await verifyBundle(file, { trusted: options.trusted, limits: options.limits });
  if (report.structuralError) throw new BundleFormatError(report.structuralError);
  const root = path.resolve(directory);
  await mkdir(root, { recursive: true });
  try {
    for (const entry of reader.entries) {
      const target = path.resolve(root, entry.name);
      // The reader already refused unsafe names; this is the last line of defence before touching the disk.
      if (!target.startsWith(`${root}${path.sep}`)) malformed(file, entry.name, '', 'would be written outside the case folder');
      await mkdir(path.dirname(target), { recursive: true });
      const perLine = lineSchema(entry.name);
      if (perLine) {
        await writeLines(reader, entry, target, perLine);
        continue;
      }
      const data = await reader.read(entry);
      const schema = documentSchema(entry.name);
      if (schema) checkJson(file, entry.name, '', data.toString('utf8'), schema);
      await writeFile(target, data, { flag: 'wx' });
    }
    if (!report.ok) await writeFile(path.join(root, 'UNVERIFIED.txt'), `This bundle did NOT verify:\n${report.problems.map((p) => `- ${p}`).join('\n')}\n`, { flag: 'wx' });
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return { directory: root, verified: report.ok, files: reader.entries.map((e) => e.name), report };
}
