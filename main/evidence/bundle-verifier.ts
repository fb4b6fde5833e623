// Verifies a `.vigil` bundle: the archive's structure (hostile archives are rejected unread), the DSSE signature over
// the in-toto statement and whether its key is trusted, every file's SHA-256 against the signed statement (naming
// each changed, missing or extra file), the manifest against the statement, and the action log's hash chain.
import { createHash } from 'node:crypto';
import { verifyActionChain } from '../../shared/evidence/action-chain.js';
import { dsseEnvelopeSchema, preAuthEncoding } from '../../shared/evidence/dsse.js';
import { BUNDLE_FILES, DSSE_PAYLOAD_TYPE, SEALING_FILES } from '../../shared/evidence/layout.js';
import { compareDigests, manifestSchema, type DigestComparison } from '../../shared/evidence/manifest.js';
import { evidenceStatementSchema, type EvidencePredicate, type EvidenceStatement } from '../../shared/evidence/statement.js';
import { keyIdOf, verifyEd25519 } from './keys.js';
import type { TrustedKeys } from './trusted-keys.js';
import { BundleFormatError, ZipArchiveReader, type ReadLimits } from './zip-reader.js';

export type SignatureStatus = 'valid' | 'unknown-key' | 'invalid' | 'missing';

export interface VerificationReport {
  file: string;
  ok: boolean;
  /** Set when the archive itself is damaged or hostile: nothing else was checked. */
  structuralError?: string;
  signature: { status: SignatureStatus; keyId?: string; message: string };
  files: DigestComparison & { checked: number; damaged: { path: string; reason: string }[] };
  /** False when manifest.json disagrees with the signed statement (or is missing or unreadable). */
  manifestMatchesStatement: boolean;
  actionLog: { status: 'intact' | 'broken' | 'absent'; entries?: number; message?: string };
  predicate?: EvidencePredicate;
  /** Every problem found, one sentence each, in the order checked. */
  problems: string[];
}

function emptyReport(file: string): VerificationReport {
  return {
    file,
    ok: false,
    signature: { status: 'missing', message: 'not checked' },
    files: { checked: 0, changed: [], missing: [], extra: [], damaged: [] },
    manifestMatchesStatement: false,
    actionLog: { status: 'absent' },
    problems: [],
  };
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function hashEntry(reader: ZipArchiveReader, name: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of reader.chunks(reader.entry(name)!)) hash.update(chunk);
  return hash.digest('hex');
}

async function readText(reader: ZipArchiveReader, name: string): Promise<string | undefined> {
  const entry = reader.entry(name);
  if (!entry) return undefined;
  return (await reader.read(entry, 64 * 1024 * 1024)).toString('utf8');
}

interface SignatureCheck {
  status: SignatureStatus;
  keyId?: string;
  message: string;
  statement?: EvidenceStatement;
}

async function checkSignature(reader: ZipArchiveReader, trusted: TrustedKeys): Promise<SignatureCheck> {
  const envelopeText = await readText(reader, BUNDLE_FILES.signature);
  if (envelopeText === undefined) return { status: 'missing', message: `the bundle has no ${BUNDLE_FILES.signature}: it is not signed` };
  const envelope = dsseEnvelopeSchema.safeParse(parseJsonText(envelopeText));
  if (!envelope.success) return { status: 'invalid', message: `${BUNDLE_FILES.signature} is not a DSSE envelope` };
  if (envelope.data.payloadType !== DSSE_PAYLOAD_TYPE) return { status: 'invalid', message: `the envelope's payload type is ${envelope.data.payloadType}, not ${DSSE_PAYLOAD_TYPE}` };
  const payload = Buffer.from(envelope.data.payload, 'base64');
  const statement = evidenceStatementSchema.safeParse(parseJsonText(payload.toString('utf8')));
  const signedStatement = statement.success ? statement.data : undefined;
  const signature = envelope.data.signatures[0]!;
  const bundledPem = await readText(reader, BUNDLE_FILES.signerPublicKey);
  let bundledKeyId: string | undefined;
  try {
    bundledKeyId = bundledPem === undefined ? undefined : keyIdOf(bundledPem);
  } catch {
    return { status: 'invalid', message: `${BUNDLE_FILES.signerPublicKey} does not hold a public key` };
  }
  const keyId = signature.keyid ?? bundledKeyId;
  if (keyId === undefined) return { status: 'invalid', message: 'the signature names no key and the bundle carries no public key' };
  const publicKeyPem = trusted.publicKeys.get(keyId) ?? (bundledKeyId === keyId ? bundledPem : undefined);
  // The bundled key is what an auditor without Vigil checks the signature with, so it must be the signing key.
  if (bundledKeyId !== undefined && bundledKeyId !== keyId) {
    return { status: 'invalid', keyId, message: `${BUNDLE_FILES.signerPublicKey} holds key ${bundledKeyId}, not the signing key ${keyId} (it was replaced or changed)`, statement: signedStatement };
  }
  const isTrusted = trusted.keyIds.has(keyId);
  if (publicKeyPem === undefined) {
    return { status: 'unknown-key', keyId, message: `signed by an unknown key ${keyId} (its public key is neither trusted nor in the bundle)`, statement: signedStatement };
  }
  const valid = verifyEd25519(publicKeyPem, preAuthEncoding(envelope.data.payloadType, payload), Buffer.from(signature.sig, 'base64'));
  if (!valid) return { status: 'invalid', keyId, message: `the signature by key ${keyId} does not match the signed statement (the statement or signature was changed)` };
  if (!signedStatement) return { status: 'invalid', keyId, message: 'the signed payload is not a Vigil evidence statement' };
  if (!isTrusted) {
    return { status: 'unknown-key', keyId, message: `signed by an unknown key ${keyId}: the signature is sound but no trusted key has this id (trust it with --trust)`, statement: signedStatement };
  }
  return { status: 'valid', keyId, message: `signed by trusted key ${keyId}`, statement: signedStatement };
}

export interface VerifyOptions {
  trusted: TrustedKeys;
  limits?: ReadLimits;
}

export async function verifyBundle(file: string, options: VerifyOptions): Promise<VerificationReport> {
  const report = emptyReport(file);
  let reader: ZipArchiveReader;
  try {
    reader = await ZipArchiveReader.open(file, options.limits);
  } catch (error) {
    if (!(error instanceof BundleFormatError)) throw error;
    report.structuralError = error.message;
    report.problems.push(error.message);
    return report;
  }

  let signatureCheck: SignatureCheck;
  try {
    signatureCheck = await checkSignature(reader, options.trusted);
  } catch (error) {
    if (!(error instanceof BundleFormatError)) throw error;
    signatureCheck = { status: 'invalid', message: error.message };
  }
  const { statement, ...signature } = signatureCheck;
  report.signature = signature;
  if (signature.status !== 'valid') report.problems.push(signature.message);
  report.predicate = statement?.predicate;

  // The signed statement is the reference for digests; the manifest is checked against it. Without a readable
  // statement the manifest is the only list left, and the bundle already fails on its signature.
  let manifestFiles: Map<string, string> | undefined;
  try {
    const manifest = manifestSchema.safeParse(parseJsonText((await readText(reader, BUNDLE_FILES.manifest)) ?? ''));
    if (manifest.success) manifestFiles = new Map(manifest.data.files.map((f) => [f.path, f.sha256]));
  } catch (error) {
    if (!(error instanceof BundleFormatError)) throw error;
  }
  const expected = statement ? new Map(statement.subject.map((s) => [s.name, s.digest.sha256])) : (manifestFiles ?? new Map<string, string>());
  if (!manifestFiles) {
    const present = reader.entry(BUNDLE_FILES.manifest) !== undefined;
    report.problems.push(present ? `${BUNDLE_FILES.manifest} was changed: it is no longer a readable manifest` : `${BUNDLE_FILES.manifest} is missing`);
    report.files[present ? 'changed' : 'missing'].push(BUNDLE_FILES.manifest);
  } else if (statement) {
    const disagreement = compareDigests(expected, manifestFiles);
    report.manifestMatchesStatement = disagreement.changed.length + disagreement.missing.length + disagreement.extra.length === 0;
    if (!report.manifestMatchesStatement) report.problems.push(`${BUNDLE_FILES.manifest} was changed: it no longer lists what the signed statement lists`);
  }

  const actual = new Map<string, string>();
  for (const entry of reader.entries) {
    if (SEALING_FILES.includes(entry.name)) continue;
    try {
      actual.set(entry.name, await hashEntry(reader, entry.name));
    } catch (error) {
      if (!(error instanceof BundleFormatError)) throw error;
      report.files.damaged.push({ path: entry.name, reason: error.message });
      actual.set(entry.name, 'damaged');
    }
  }
  const comparison = compareDigests(expected, actual);
  report.files = {
    changed: [...report.files.changed, ...comparison.changed],
    missing: [...report.files.missing, ...comparison.missing],
    extra: comparison.extra,
    checked: actual.size,
    damaged: report.files.damaged,
  };
  for (const path of comparison.changed) report.problems.push(`${path} was changed (its SHA-256 differs from the signed one)`);
  for (const path of comparison.missing) report.problems.push(`${path} is missing`);
  for (const path of comparison.extra) report.problems.push(`${path} is an extra file that the signed statement does not list`);
  if (manifestFiles && statement && !report.manifestMatchesStatement) report.files.changed.push(BUNDLE_FILES.manifest);

  const actionsEntry = reader.entry(BUNDLE_FILES.actions);
  if (actionsEntry && !report.files.damaged.some((d) => d.path === BUNDLE_FILES.actions)) {
    const verdict = verifyActionChain((await reader.read(actionsEntry)).toString('utf8'), { expectedHead: report.predicate?.actionLogHead ?? undefined });
    report.actionLog = verdict.intact
      ? { status: 'intact', entries: verdict.entries }
      : { status: 'broken', entries: verdict.entries, message: verdict.firstBreak.message };
    if (!verdict.intact) report.problems.push(`the action log's hash chain is broken: ${verdict.firstBreak.message}`);
  } else if (report.predicate?.actionLogHead) {
    report.actionLog = { status: 'broken', message: 'the statement records an action log but the bundle has none' };
    report.problems.push(report.actionLog.message!);
  }

  report.ok = report.problems.length === 0;
  return report;
}
