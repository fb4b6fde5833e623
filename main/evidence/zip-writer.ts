// Writes a ZIP archive to a file, one entry at a time, each streamed through native zlib deflate with its SHA-256
// computed on the way (the bundle's manifest needs it). Sizes and CRC are patched into each local header once the
// entry is done, so the archive needs no data descriptors and any unzip tool reads it.
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import {
  CENTRAL_HEADER_SIGNATURE, CENTRAL_HEADER_SIZE, END_OF_CENTRAL_DIRECTORY_SIGNATURE, END_OF_CENTRAL_DIRECTORY_SIZE,
  FLAG_UTF8, LOCAL_HEADER_SIGNATURE, LOCAL_HEADER_SIZE, MADE_BY_UNIX, MAX_ZIP32, METHOD_DEFLATE,
  UNIX_REGULAR_FILE_0644, VERSION_NEEDED, dosDateTime,
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
  ) {
    this.stamp = dosDateTime(modified);
  }

  /** Creates (or truncates) `path`. `level` is the deflate level: 1 keeps a million events fast, 6 is zlib's default. */
  static async create(path: string, options: { modified?: Date; level?: number } = {}): Promise<ZipFileWriter> {
    const file = await open(path, 'w', 0o644);
    return new ZipFileWriter(file, path, options.modified ?? new Date(), options.level ?? 6);
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
    const headerSize = LOCAL_HEADER_SIZE + nameBytes.length;
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
    if (size > MAX_ZIP32 || compressedSize > MAX_ZIP32 || this.position > MAX_ZIP32) {
      throw new Error(`entry ${name} makes the bundle larger than 4 GiB, which this bundle format (ZIP without ZIP64) cannot hold`);
    }
    const header = this.localHeader(nameBytes, crc, compressedSize, size);
    await this.file.write(header, 0, header.length, offset);
    const record: CentralRecord = { name, sha256: hash.digest('hex'), size, compressedSize, crc, offset, nameBytes };
    this.records.push(record);
    return { name, sha256: record.sha256, size, compressedSize };
  }

  /** Writes the central directory and closes the file. */
  async close(): Promise<void> {
    const centralStart = this.position;
    const parts = this.records.map((record) => this.centralHeader(record));
    const central = Buffer.concat(parts);
    const end = Buffer.alloc(END_OF_CENTRAL_DIRECTORY_SIZE);
    end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
    end.writeUInt16LE(this.records.length, 8);
    end.writeUInt16LE(this.records.length, 10);
    end.writeUInt32LE(central.length, 12);
    end.writeUInt32LE(centralStart, 16);
    if (this.records.length > 0xffff || centralStart + central.length > MAX_ZIP32) {
      throw new Error('the bundle exceeds the limits of ZIP without ZIP64 (65535 entries, 4 GiB)');
    }
    const tail = Buffer.concat([central, end]);
    await this.file.write(tail, 0, tail.length, this.position);
    this.position += tail.length;
    await this.file.close();
  }

  /** Closes the file without finishing the archive (after a failure; the caller deletes it). */
  async abandon(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }

  private localHeader(nameBytes: Buffer, crc: number, compressedSize: number, size: number): Buffer {
    const header = Buffer.alloc(LOCAL_HEADER_SIZE + nameBytes.length);
    header.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
    header.writeUInt16LE(VERSION_NEEDED, 4);
    header.writeUInt16LE(FLAG_UTF8, 6);
    header.writeUInt16LE(METHOD_DEFLATE, 8);
    header.writeUInt16LE(this.stamp.time, 10);
    header.writeUInt16LE(this.stamp.date, 12);
    header.writeUInt32LE(crc >>> 0, 14);
    header.writeUInt32LE(compressedSize, 18);
    header.writeUInt32LE(size, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(0, 28);
    nameBytes.copy(header, LOCAL_HEADER_SIZE);
    return header;
  }

  private centralHeader(record: CentralRecord): Buffer {
    const header = Buffer.alloc(CENTRAL_HEADER_SIZE + record.nameBytes.length);
    header.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
    header.writeUInt16LE(MADE_BY_UNIX, 4);
    header.writeUInt16LE(VERSION_NEEDED, 6);
    header.writeUInt16LE(FLAG_UTF8, 8);
    header.writeUInt16LE(METHOD_DEFLATE, 10);
    header.writeUInt16LE(this.stamp.time, 12);
    header.writeUInt16LE(this.stamp.date, 14);
    header.writeUInt32LE(record.crc >>> 0, 16);
    header.writeUInt32LE(record.compressedSize, 20);
    header.writeUInt32LE(record.size, 24);
    header.writeUInt16LE(record.nameBytes.length, 28);
    // extra length, comment length, disk number start, internal attributes: all 0
    header.writeUInt32LE(UNIX_REGULAR_FILE_0644, 38);
    header.writeUInt32LE(record.offset, 42);
    record.nameBytes.copy(header, CENTRAL_HEADER_SIZE);
    return header;
  }
}
