// Writes a ZIP archive to a file, one entry at a time, each streamed through native zlib deflate with its SHA-256
// computed on the way (the bundle's manifest needs it). Sizes and CRC are patched into each local header once the
// entry is done, so the archive needs no data descriptors and any unzip tool reads it. ZIP64 fields are written only
// where a size, an offset or the entry count does not fit the classic fields (`zip64From` lowers that bar in tests).
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import {
  CENTRAL_HEADER_SIGNATURE, CENTRAL_HEADER_SIZE, END_OF_CENTRAL_DIRECTORY_SIGNATURE, END_OF_CENTRAL_DIRECTORY_SIZE,
  FLAG_UTF8, LOCAL_EXTRA_SIZE, LOCAL_HEADER_SIGNATURE, LOCAL_HEADER_SIZE, MADE_BY_UNIX, MAX_ZIP16, MAX_ZIP32, METHOD_DEFLATE,
  PADDING_EXTRA_ID, UNIX_REGULAR_FILE_0644, VERSION_NEEDED, VERSION_NEEDED_ZIP64, ZIP64_END_SIGNATURE, ZIP64_END_SIZE,
  ZIP64_EXTRA_ID, ZIP64_LOCATOR_SIGNATURE, ZIP64_LOCATOR_SIZE, dosDateTime,
} from './zip-format.js';

export interface WrittenEntry {
  name: string;
  sha256: string;
  size: number;
  compressedSize: number;
}

interface CentralRecord extends WrittenEntry {
  crc: number;
  offset: number;
  nameBytes: Buffer;
}

export class ZipFileWriter {
  private position = 0;
  private readonly records: CentralRecord[] = [];
  private readonly names = new Set<string>();
  private readonly stamp: { time: number; date: number };

  private constructor(
    private readonly file: FileHandle,
    readonly path: string,
    modified: Date,
    private readonly level: number,
    private readonly zip64From: number,
  ) {
    this.stamp = dosDateTime(modified);
  }

  /**
   * Creates (or truncates) `path`. `level` is the deflate level: 1 keeps a million events fast, 6 is zlib's default.
   * `zip64From`: sizes and offsets from this value on go to ZIP64 fields (default: those that do not fit 32 bits).
   */
  static async create(path: string, options: { modified?: Date; level?: number; zip64From?: number } = {}): Promise<ZipFileWriter> {
    const file = await open(path, 'w', 0o644);
    return new ZipFileWriter(file, path, options.modified ?? new Date(), options.level ?? 6, Math.min(options.zip64From ?? MAX_ZIP32, MAX_ZIP32));
  }

  private big(value: number): boolean {
    return value >= this.zip64From;
  }

  async addBuffer(name: string, data: Uint8Array): Promise<WrittenEntry> {
    return this.addStream(name, [data]);
  }

  /** Streams `chunks` into a new entry. Chunks should be large (hundreds of KiB) for speed. */
  async addStream(name: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<WrittenEntry> {
    if (this.names.has(name)) throw new Error(`the archive already has an entry named ${name}`);
    this.names.add(name);
    const nameBytes = Buffer.from(name, 'utf8');
    const offset = this.position;
    const headerSize = LOCAL_HEADER_SIZE + nameBytes.length + LOCAL_EXTRA_SIZE;
    this.position += headerSize;
    const hash = createHash('sha256');
    let crc = 0;
    let size = 0;
    let compressedSize = 0;
    const deflate = zlib.createDeflateRaw({ level: this.level, memLevel: 9, chunkSize: 256 * 1024 });
    await pipeline(
      Readable.from(chunks),
      async function* measure(source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          hash.update(chunk);
          crc = zlib.crc32(chunk, crc);
          size += chunk.length;
          yield chunk;
        }
      },
      deflate,
      async (compressed: AsyncIterable<Buffer>) => {
        for await (const piece of compressed) {
          await this.file.write(piece, 0, piece.length, this.position);
          this.position += piece.length;
          compressedSize += piece.length;
        }
      },
    );
    const header = this.localHeader(nameBytes, crc, compressedSize, size);
    await this.file.write(header, 0, header.length, offset);
    const record: CentralRecord = { name, sha256: hash.digest('hex'), size, compressedSize, crc, offset, nameBytes };
    this.records.push(record);
    return { name, sha256: record.sha256, size, compressedSize };
  }

  /** Writes the central directory (with the ZIP64 end records when needed) and closes the file. */
  async close(): Promise<void> {
    const centralStart = this.position;
    const parts = this.records.map((record) => this.centralHeader(record));
    const central = Buffer.concat(parts);
    const count = this.records.length;
    const zip64 = count >= MAX_ZIP16 || this.big(central.length) || this.big(centralStart);
    const end = Buffer.alloc(END_OF_CENTRAL_DIRECTORY_SIZE);
    end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
    end.writeUInt16LE(zip64 ? MAX_ZIP16 : count, 8);
    end.writeUInt16LE(zip64 ? MAX_ZIP16 : count, 10);
    end.writeUInt32LE(zip64 ? MAX_ZIP32 : central.length, 12);
    end.writeUInt32LE(zip64 ? MAX_ZIP32 : centralStart, 16);
    const tailParts = [central];
    if (zip64) {
      const record = Buffer.alloc(ZIP64_END_SIZE);
      record.writeUInt32LE(ZIP64_END_SIGNATURE, 0);
      record.writeBigUInt64LE(BigInt(ZIP64_END_SIZE - 12), 4);
      record.writeUInt16LE(MADE_BY_UNIX, 12);
      record.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
      // disk numbers (16, 20): 0
      record.writeBigUInt64LE(BigInt(count), 24);
      record.writeBigUInt64LE(BigInt(count), 32);
      record.writeBigUInt64LE(BigInt(central.length), 40);
      record.writeBigUInt64LE(BigInt(centralStart), 48);
      const locator = Buffer.alloc(ZIP64_LOCATOR_SIZE);
      locator.writeUInt32LE(ZIP64_LOCATOR_SIGNATURE, 0);
      locator.writeBigUInt64LE(BigInt(centralStart + central.length), 8);
      locator.writeUInt32LE(1, 16);
      tailParts.push(record, locator);
    }
    tailParts.push(end);
    const tail = Buffer.concat(tailParts);
    await this.file.write(tail, 0, tail.length, this.position);
    this.position += tail.length;
    await this.file.close();
  }

  /** Closes the file without finishing the archive (after a failure; the caller deletes it). */
  async abandon(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }

  private localHeader(nameBytes: Buffer, crc: number, compressedSize: number, size: number): Buffer {
    const zip64 = this.big(size) || this.big(compressedSize);
    const header = Buffer.alloc(LOCAL_HEADER_SIZE + nameBytes.length + LOCAL_EXTRA_SIZE);
    header.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
    header.writeUInt16LE(zip64 ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 4);
    header.writeUInt16LE(FLAG_UTF8, 6);
    header.writeUInt16LE(METHOD_DEFLATE, 8);
    header.writeUInt16LE(this.stamp.time, 10);
    header.writeUInt16LE(this.stamp.date, 12);
    header.writeUInt32LE(crc >>> 0, 14);
    header.writeUInt32LE(zip64 ? MAX_ZIP32 : compressedSize, 18);
    header.writeUInt32LE(zip64 ? MAX_ZIP32 : size, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(LOCAL_EXTRA_SIZE, 28);
    nameBytes.copy(header, LOCAL_HEADER_SIZE);
    const extra = LOCAL_HEADER_SIZE + nameBytes.length;
    header.writeUInt16LE(zip64 ? ZIP64_EXTRA_ID : PADDING_EXTRA_ID, extra);
    header.writeUInt16LE(LOCAL_EXTRA_SIZE - 4, extra + 2);
    if (zip64) {
      // A local ZIP64 block holds both sizes, uncompressed first (APPNOTE 4.5.3).
      header.writeBigUInt64LE(BigInt(size), extra + 4);
      header.writeBigUInt64LE(BigInt(compressedSize), extra + 12);
    }
    return header;
  }

  private centralHeader(record: CentralRecord): Buffer {
    // The central ZIP64 block holds only the fields that overflow, in this order (APPNOTE 4.5.3).
    const wide = [record.size, record.compressedSize, record.offset].map((value) => this.big(value));
    const values = [record.size, record.compressedSize, record.offset].filter((_, i) => wide[i]);
    const extraLength = values.length ? 4 + 8 * values.length : 0;
    const header = Buffer.alloc(CENTRAL_HEADER_SIZE + record.nameBytes.length + extraLength);
    header.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
    header.writeUInt16LE(MADE_BY_UNIX, 4);
    header.writeUInt16LE(values.length ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 6);
    header.writeUInt16LE(FLAG_UTF8, 8);
    header.writeUInt16LE(METHOD_DEFLATE, 10);
    header.writeUInt16LE(this.stamp.time, 12);
    header.writeUInt16LE(this.stamp.date, 14);
    header.writeUInt32LE(record.crc >>> 0, 16);
    header.writeUInt32LE(wide[1] ? MAX_ZIP32 : record.compressedSize, 20);
    header.writeUInt32LE(wide[0] ? MAX_ZIP32 : record.size, 24);
    header.writeUInt16LE(record.nameBytes.length, 28);
    header.writeUInt16LE(extraLength, 30);
    // comment length, disk number start, internal attributes: all 0
    header.writeUInt32LE(UNIX_REGULAR_FILE_0644, 38);
    header.writeUInt32LE(wide[2] ? MAX_ZIP32 : record.offset, 42);
    record.nameBytes.copy(header, CENTRAL_HEADER_SIZE);
    if (values.length) {
      const extra = CENTRAL_HEADER_SIZE + record.nameBytes.length;
      header.writeUInt16LE(ZIP64_EXTRA_ID, extra);
      header.writeUInt16LE(8 * values.length, extra + 2);
      values.forEach((value, i) => header.writeBigUInt64LE(BigInt(value), extra + 4 + 8 * i));
    }
    return header;
  }
}
