// `vigil evidence`: export a case as a signed bundle (or OCSF, HTML, PDF), verify a bundle, extract one safely,
// show the local signing key.
import path from 'node:path';
import { CliError, EXIT_FAILURE, EXIT_OK, UsageError, type CliIO, type Command } from '../command.js';
import { parseCommandArgs, printJson, requireOne } from '../parse-args.js';
import { writeBundle, ExportError } from '../../evidence/bundle-writer.js';
import { verifyBundle, type VerificationReport } from '../../evidence/bundle-verifier.js';
import { readCase, CaseReadError } from '../../evidence/case-folder.js';
import { readLabCase } from '../../evidence/lab-case.js';
import { KubeTargetError } from '../../kube/kube-target.js';
import { withEngineDerivation } from '../../evidence/engine-derivation.js';
import { extractBundle } from '../../evidence/bundle-extractor.js';
import { FileKeyStore } from '../../evidence/keys.js';
import { resolveTrustedKeys, TrustError } from '../../evidence/trusted-keys.js';
import { writeOcsf, writeHtmlReport, writePdfReport } from '../../evidence/report-export.js';
import { BundleFormatError } from '../../evidence/zip-reader.js';
import type { EvidenceContent, ExportProgress } from '../../evidence/evidence-content.js';

const usage = `Usage:
  vigil evidence export (--case PATH | --lab) --out FILE [--format bundle|ocsf|html|pdf] [--no-engine] [--json]
  vigil evidence verify FILE [--trust PUBKEY_PEM_OR_KEYID]... [--json]
  vigil evidence extract FILE --into DIR [--trust ...]... [--json]
  vigil evidence key [--json]

export   writes the case as a signed .vigil bundle (default), OCSF 1.3 JSON lines, a self-contained HTML report or
         a PDF. --case reads a case folder (events.ndjson, inventory.json, actions.jsonl, notes.json, queries.jsonl)
         or one NDJSON file of events; --lab reads the running lab (collector events, API server audit log,
         inventory, action log). Graph, stories and AI-BOM are derived with the
         engine unless the case already holds them or --no-engine is given. Progress goes to stderr.
verify   checks every file's SHA-256, the DSSE signature and its key, and the action log's hash chain. Exit 0 when
         all hold, 1 otherwise, naming each changed, missing or extra file. Trusted keys: the local signing key and
         each --trust (a public key PEM file or a 64-hex key id).
extract  verifies FILE, then unpacks it into DIR (which must not exist yet). A damaged or hostile archive is
         refused and nothing is written; a bundle that does not verify is unpacked with UNVERIFIED.txt beside it.
key      prints the local signing key's id and public key (creating the key on first use).

Keys live in \${XDG_CONFIG_HOME:-~/.config}/vigil/keys/.`;

type Format = 'bundle' | 'ocsf' | 'html' | 'pdf';

function progressPrinter(io: CliIO): (p: ExportProgress) => void {
  return (p) => {
    if (p.phase === 'events') io.stderr(`\rvigil evidence: ${p.done.toLocaleString('en-US')} events written`);
    else if (p.phase === 'signing') io.stderr(`\nvigil evidence: signing ${p.done} files\n`);
  };
}

/** Ctrl-C stops an export between events; the writers then delete their partial output. */
function interruptible(content: EvidenceContent, signal: AbortSignal): EvidenceContent {
  return {
    ...content,
    events: async function* () {
      for await (const record of content.events()) {
        if (signal.aborted) throw new ExportError('interrupted; nothing was written');
        yield record;
      }
    },
  };
}

async function loadContent(values: { case?: string; lab?: boolean; 'no-engine'?: boolean }, io: CliIO): Promise<EvidenceContent> {
  if (Boolean(values.case) === Boolean(values.lab)) throw new UsageError('give exactly one of --case PATH or --lab');
  let content: EvidenceContent;
  try {
    content = values.case ? await readCase(values.case) : await readLabCase();
  } catch (error) {
    if (error instanceof CaseReadError || error instanceof KubeTargetError) throw new CliError(`${error.message}; nothing was exported`);
    throw error;
  }
  content = interruptible(content, io.signal);
  if (values['no-engine']) {
    for (const file of ['graph.json', 'stories.json', 'aibom.cdx.json']) content.omitted.push({ path: file, reason: 'the engine was not run for this export (--no-engine)' });
    return content;
  }
  io.stderr('vigil evidence: deriving graph, stories and AI-BOM with the engine while exporting\n');
  return withEngineDerivation(content);
}

async function exportCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    case: { type: 'string' },
    lab: { type: 'boolean', default: false },
    out: { type: 'string' },
    format: { type: 'string', default: 'bundle' },
    'no-engine': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (!values.out) throw new UsageError('--out FILE is required');
  const format = values.format as Format;
  if (!['bundle', 'ocsf', 'html', 'pdf'].includes(format)) throw new UsageError(`--format must be bundle, ocsf, html or pdf, not '${values.format}'`);
  const content = await loadContent(values, io);
  const out = path.resolve(values.out);
  const started = Date.now();
  try {
    if (format === 'bundle') {
      const keyStore = new FileKeyStore();
      const result = await writeBundle(content, out, { keyStore, onProgress: progressPrinter(io) });
      const summary = { format, out, keyId: result.keyId, events: result.caseRecord.events.count, files: result.files.length, bytes: result.bytes, redactions: result.caseRecord.redactions, omitted: result.caseRecord.omitted, seconds: (Date.now() - started) / 1000 };
      if (values.json) printJson(io, summary);
      else io.stdout(`Wrote ${out}: ${summary.events} events, ${summary.files} files, signed by ${result.keyId} (${keyStore.describe()})\n`);
      return EXIT_OK;
    }
    const onProgress = progressPrinter(io);
    const result = format === 'ocsf' ? await writeOcsf(content, out, onProgress) : format === 'html' ? await writeHtmlReport(content, out, onProgress) : await writePdfReport(content, out, onProgress);
    io.stderr('\n');
    if (values.json) printJson(io, { format, out, ...result, seconds: (Date.now() - started) / 1000 });
    else io.stdout(`Wrote ${out} (${format})\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ExportError || error instanceof CaseReadError) throw new CliError(`${error.message}`);
    throw error;
  }
}

function printReport(io: CliIO, report: VerificationReport): void {
  if (report.ok) {
    io.stdout(`OK ${report.file}\n  ${report.signature.message}\n  ${report.files.checked} files match the signed statement\n  action log: ${report.actionLog.status}${report.actionLog.entries !== undefined ? ` (${report.actionLog.entries} entries)` : ''}\n`);
    return;
  }
  io.stdout(`FAILED ${report.file}\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n`);
}

async function trustedKeys(trust: string[] | undefined) {
  try {
    return await resolveTrustedKeys(trust ?? [], new FileKeyStore());
  } catch (error) {
    if (error instanceof TrustError) throw new UsageError(error.message);
    throw error;
  }
}

async function verifyCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { trust: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } });
  const file = requireOne(positionals, 'bundle file');
  const report = await verifyBundle(path.resolve(file), { trusted: await trustedKeys(values.trust) });
  if (values.json) printJson(io, report);
  else printReport(io, report);
  return report.ok ? EXIT_OK : EXIT_FAILURE;
}

async function extractCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { into: { type: 'string' }, trust: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } });
  const file = requireOne(positionals, 'bundle file');
  if (!values.into) throw new UsageError('--into DIR is required');
  try {
    const result = await extractBundle(path.resolve(file), path.resolve(values.into), { trusted: await trustedKeys(values.trust) });
    if (values.json) printJson(io, result);
    else io.stdout(`${result.verified ? 'Verified and extracted' : 'Extracted UNVERIFIED'} ${result.files.length} files into ${result.directory}\n`);
    return result.verified ? EXIT_OK : EXIT_FAILURE;
  } catch (error) {
    if (error instanceof BundleFormatError) throw new CliError(`${error.message}; nothing was written`);
    throw error;
  }
}

async function keyCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean', default: false } });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const store = new FileKeyStore();
  const key = await store.signingKey();
  if (values.json) printJson(io, { keyId: key.keyId, publicKeyPem: key.publicKeyPem, privateKeyFile: store.privateKeyPath, publicKeyFile: store.publicKeyPath });
  else io.stdout(`key id ${key.keyId}\npublic key ${store.publicKeyPath}\n${key.publicKeyPem}`);
  return EXIT_OK;
}

export const evidenceCommand: Command = {
  name: 'evidence',
  summary: 'export signed evidence bundles (or OCSF, HTML, PDF) and verify them',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'export':
        return exportCommand(rest, io);
      case 'verify':
        return verifyCommand(rest, io);
      case 'extract':
        return extractCommand(rest, io);
      case 'key':
        return keyCommand(rest, io);
      default:
        throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'give a subcommand: export, verify, extract or key');
    }
  },
};
