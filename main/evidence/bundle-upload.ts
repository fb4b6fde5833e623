// Bundles a user picks in the workbench arrive in pieces over the contract (a browser page cannot hand main a path).
// Each upload is bounded: its size is declared first and capped, every piece must come in order and fit, and the
// bytes go to a private temporary folder (mode 0700) that is removed when the upload is opened, abandoned or the
// process ends. Nothing is written anywhere else.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export class UploadError extends Error {
  override name = 'UploadError';
}

/** 512 MiB: a bundle of a million events is about 30 MiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
/** Raw bytes per piece: base64 makes it 4/3 larger, under the browser host's 1 MiB request cap. */
export const UPLOAD_CHUNK_BYTES = 512 * 1024;
const MAX_PENDING_UPLOADS = 4;
/** An upload nobody continues for this long is dropped with its bytes. */
const ABANDONED_AFTER_MS = 10 * 60 * 1000;

interface PendingUpload {
  name: string;
  size: number;
  received: number;
  file: string;
  handle: FileHandle;
  touched: number;
}

export interface CompletedUpload {
  name: string;
  file: string;
  /** Removes the uploaded bytes; call once the bundle has been read. */
  discard(): Promise<void>;
}

export class BundleUploads {
  private readonly pending = new Map<string, PendingUpload>();
  private folder: string | undefined;

  constructor(readonly maxBytes = DEFAULT_MAX_UPLOAD_BYTES) {}

  async begin(name: string, size: number): Promise<{ uploadId: string; maxChunkBytes: number }> {
    if (size > this.maxBytes) {
      throw new UploadError(`${name} is ${mib(size)}, over the ${mib(this.maxBytes)} a bundle may have here; nothing was uploaded`);
    }
    await this.dropAbandoned();
    if (this.pending.size >= MAX_PENDING_UPLOADS) throw new UploadError(`${MAX_PENDING_UPLOADS} uploads are already in progress; nothing was uploaded`);
    const uploadId = randomBytes(16).toString('hex');
    const file = path.join(this.privateFolder(), `${uploadId}.vigil`);
    const handle = await open(file, 'wx', 0o600);
    this.pending.set(uploadId, { name, size, received: 0, file, handle, touched: Date.now() });
    return { uploadId, maxChunkBytes: UPLOAD_CHUNK_BYTES };
  }

  async chunk(uploadId: string, offset: number, base64: string): Promise<number> {
    const upload = this.get(uploadId);
    if (offset !== upload.received) throw new UploadError(`piece at byte ${offset} of ${upload.name} is out of order (expected byte ${upload.received}); the upload is unchanged`);
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length === 0 || bytes.length > UPLOAD_CHUNK_BYTES) throw new UploadError(`a piece must hold 1 to ${UPLOAD_CHUNK_BYTES} bytes (got ${bytes.length}); the upload is unchanged`);
    if (upload.received + bytes.length > upload.size) {
      await this.abandon(uploadId);
      throw new UploadError(`${upload.name} is longer than the ${upload.size} bytes announced; the upload was dropped`);
    }
    await upload.handle.write(bytes, 0, bytes.length, upload.received);
    upload.received += bytes.length;
    upload.touched = Date.now();
    return upload.received;
  }

  /** The complete upload as a file, taken out of the pending list. */
  async complete(uploadId: string): Promise<CompletedUpload> {
    const upload = this.get(uploadId);
    if (upload.received !== upload.size) throw new UploadError(`${upload.name}: ${upload.received} of ${upload.size} bytes arrived; send the rest first`);
    this.pending.delete(uploadId);
    await upload.handle.close();
    return { name: upload.name, file: upload.file, discard: () => rm(upload.file, { force: true }) };
  }

  async abandon(uploadId: string): Promise<void> {
    const upload = this.pending.get(uploadId);
    if (!upload) return;
    this.pending.delete(uploadId);
    await upload.handle.close().catch(() => undefined);
    await rm(upload.file, { force: true });
  }

  /** Removes every pending upload and the private folder (process exit). */
  disposeSync(): void {
    for (const upload of this.pending.values()) void upload.handle.close().catch(() => undefined);
    this.pending.clear();
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = undefined;
  }

  private get(uploadId: string): PendingUpload {
    const upload = this.pending.get(uploadId);
    if (!upload) throw new UploadError(`no upload ${uploadId} is in progress (it finished, was dropped or never began)`);
    return upload;
  }

  private privateFolder(): string {
    if (!this.folder) {
      this.folder = mkdtempSync(path.join(os.tmpdir(), 'vigil-bundle-upload-'));
      const folder = this.folder;
      process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    }
    return this.folder;
  }

  private async dropAbandoned(): Promise<void> {
    const now = Date.now();
    for (const [id, upload] of this.pending) if (now - upload.touched > ABANDONED_AFTER_MS) await this.abandon(id);
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
