// Reads a ZIP archive that may be hostile. Everything about the archive is checked before a single entry is
// inflated: every name (no traversal, absolute paths, duplicates, case collisions), every type (regular files only:
// no symbolic links, directories or devices), every declared size against caps, the compression ratio, and that no
// two entries share bytes (overlapping entries are how the smallest zip bombs work). While inflating, the actual
// output is counted against the declared size, so a lying header cannot make the reader produce more.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import zlib from 'node:zlib';
import { caseInsensitiveCollision, unsafeEntryNameReason } from '../../shared/evidence/entry-name.js';
import {
  CENTRAL_HEADER_SIGNATURE, CENTRAL_HEADER_SIZE, END_OF_CENTRAL_DIRECTORY_SIGNATURE, END_OF_CENTRAL_DIRECTORY_SIZE,
  FLAG_ENCRYPTED, LOCAL_HEADER_SIGNATURE, LOCAL_HEADER_SIZE, MAX_ZIP16, MAX_ZIP32, METHOD_DEFLATE, METHOD_STORED,
  ZIP64_END_SIGNATURE, ZIP64_END_SIZE, ZIP64_EXTRA_ID, ZIP64_LOCATOR_SIGNATURE, ZIP64_LOCATOR_SIZE,
} from './zip-format.js';

/** The archive is damaged or hostile; nothing was extracted or written because of it. */
export class BundleFormatError extends Error {
  override name = 'BundleFormatError';
}

export interface ReadLimits {
  maxEntries: number;
  /** Largest uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Largest uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of an entry larger than `ratioCheckFromBytes`. */
  maxRatio: number;
  ratioCheckFromBytes: number;
}

// Real bundles: tens of files; events compress about 5-20x at deflate level 1. A zip bomb sits at 1000x and more.
// An events file of ten million events is about 5 GiB (ZIP64); the ratio check, not the size cap, stops bombs.
export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 32 * 1024 ** 3,
  maxTotalBytes: 64 * 1024 ** 3,
  maxRatio: 200,
  ratioCheckFromBytes: 1024 * 1024,
};

export interface ZipEntry {
  name: string;
  size: number;
  compressedSize: number;
  crc: number;
  method: number;
  /** Where the compressed bytes start in the file (after the local header). */
  dataOffset: number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const MSDOS_DIRECTORY = 0x10;

function fail(path: string, problem: string): never {
  throw new BundleFormatError(`${path} is not a readable bundle: ${problem}`);
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

function findEndOfCentralDirectory(tail: Buffer, tailStart: number, fileSize: number): number | undefined {
  for (let i = tail.length - END_OF_CENTRAL_DIRECTORY_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== END_OF_CENTRAL_DIRECTORY_SIGNATURE) continue;
    const commentLength = tail.readUInt16LE(i + 20);
    if (tailStart + i + END_OF_CENTRAL_DIRECTORY_SIZE + commentLength === fileSize) return tailStart + i;
  }
  return undefined;
}

function safeNumber(path: string, value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail(path, `its ${what} (${value}) is absurd`);
  return Number(value);
}

/**
 * The 64-bit values of a central record's ZIP64 block: present only for the fields set to 0xFFFFFFFF, in the order
 * size, compressed size, local header offset. A missing or short block is damage.
 */
function zip64Fields(path: string, index: number, extra: Buffer, wanted: boolean[]): (number | undefined)[] {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (at + 4 + length > extra.length) break;
    if (id === ZIP64_EXTRA_ID) {
      const out: (number | undefined)[] = [];
      let field = at + 4;
      for (const want of wanted) {
        if (!want) {
          out.push(undefined);
          continue;
        }
        if (field + 8 > at + 4 + length) fail(path, `central directory record ${index + 1} has a ZIP64 block too short for its sizes`);
        out.push(safeNumber(path, extra.readBigUInt64LE(field), 'entry size or offset'));
        field += 8;
      }
      return out;
    }
    at += 4 + length;
  }
  fail(path, `central directory record ${index + 1} needs a ZIP64 block and has none`);
}

export class ZipArchiveReader {
  private constructor(
    readonly path: string,
    readonly entries: readonly ZipEntry[],
  ) {}

  /** Opens and checks the whole archive structure; throws BundleFormatError naming the first problem. */
  static async open(path: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<ZipArchiveReader> {
    const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      throw new BundleFormatError(`cannot open ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    try {
      const stat = await file.stat();
      if (!stat.isFile()) fail(path, 'it is not a regular file');
      return new ZipArchiveReader(path, await ZipArchiveReader.readEntries(file, path, stat.size, limits));
    } finally {
      await file.close();
    }
  }

  private static async readEntries(file: FileHandle, path: string, fileSize: number, limits: ReadLimits): Promise<ZipEntry[]> {
    if (fileSize < END_OF_CENTRAL_DIRECTORY_SIZE) fail(path, 'it is too short to be a ZIP archive');
    const tailLength = Math.min(fileSize, END_OF_CENTRAL_DIRECTORY_SIZE + 0xffff);
    const tailStart = fileSize - tailLength;
    const tail = await readAt(file, tailStart, tailLength);
    const eocd = findEndOfCentralDirectory(tail, tailStart, fileSize);
    if (eocd === undefined) fail(path, 'no ZIP end-of-central-directory record (not a ZIP archive, or cut short)');
    const end = tail.subarray(eocd - tailStart);
    let [disk, cdDisk, onDisk, total] = [end.readUInt16LE(4), end.readUInt16LE(6), end.readUInt16LE(8), end.readUInt16LE(10)];
    let cdSize = end.readUInt32LE(12);
    let cdOffset = end.readUInt32LE(16);
    // Where the directory must end: the EOCD, or the ZIP64 end record before it.
    let directoryLimit = eocd;
    if (total === MAX_ZIP16 || onDisk === MAX_ZIP16 || cdSize === MAX_ZIP32 || cdOffset === MAX_ZIP32) {
      const zip64 = await ZipArchiveReader.readZip64End(file, path, eocd);
      ({ disk, cdDisk, onDisk, total, cdSize, cdOffset } = zip64);
      directoryLimit = zip64.recordOffset;
    }
    if (disk !== 0 || cdDisk !== 0 || onDisk !== total) fail(path, 'it is a multi-part archive');
    if (total > limits.maxEntries) fail(path, `it has ${total} entries, more than the ${limits.maxEntries} allowed`);
    if (cdOffset + cdSize > directoryLimit) fail(path, 'its central directory lies outside the archive');
    if (cdSize > 2 * 1024 ** 3) fail(path, `its central directory is ${cdSize} bytes, more than any real bundle needs`);
    const central = await readAt(file, cdOffset, cdSize);
    if (central.length !== cdSize) fail(path, 'its central directory is cut short');

    const entries: ZipEntry[] = [];
    const localOffsets: number[] = [];
    const names = new Set<string>();
    let totalBytes = 0;
    let at = 0;
    for (let index = 0; index < total; index++) {
      if (at + CENTRAL_HEADER_SIZE > central.length || central.readUInt32LE(at) !== CENTRAL_HEADER_SIGNATURE) {
        fail(path, `central directory record ${index + 1} is damaged`);
      }
      const madeByHost = central.readUInt16LE(at + 4) >> 8;
      const flags = central.readUInt16LE(at + 8);
      const method = central.readUInt16LE(at + 10);
      const crc = central.readUInt32LE(at + 16);
      let compressedSize = central.readUInt32LE(at + 20);
      let size = central.readUInt32LE(at + 24);
      const nameLength = central.readUInt16LE(at + 28);
      const extraLength = central.readUInt16LE(at + 30);
      const commentLength = central.readUInt16LE(at + 32);
      const externalAttributes = central.readUInt32LE(at + 38);
      let localOffset = central.readUInt32LE(at + 42);
      const recordEnd = at + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
      if (recordEnd > central.length) fail(path, `central directory record ${index + 1} is cut short`);
      if (size === MAX_ZIP32 || compressedSize === MAX_ZIP32 || localOffset === MAX_ZIP32) {
        const extra = central.subarray(at + CENTRAL_HEADER_SIZE + nameLength, at + CENTRAL_HEADER_SIZE + nameLength + extraLength);
        const wide = zip64Fields(path, index, extra, [size === MAX_ZIP32, compressedSize === MAX_ZIP32, localOffset === MAX_ZIP32]);
        [size, compressedSize, localOffset] = [wide[0] ?? size, wide[1] ?? compressedSize, wide[2] ?? localOffset];
      }
      let name: string;
      try {
        name = strictUtf8.decode(central.subarray(at + CENTRAL_HEADER_SIZE, at + CENTRAL_HEADER_SIZE + nameLength));
      } catch {
        fail(path, `entry ${index + 1} has a name that is not valid UTF-8`);
      }
      at = recordEnd;
      const shown = JSON.stringify(name);
      const unsafe = unsafeEntryNameReason(name);
      if (unsafe) fail(path, `entry ${shown} ${unsafe}`);
      if (names.has(name)) fail(path, `entry ${shown} appears more than once`);
      names.add(name);
      if (flags & FLAG_ENCRYPTED) fail(path, `entry ${shown} is encrypted`);
      if (method !== METHOD_STORED && method !== METHOD_DEFLATE) fail(path, `entry ${shown} uses compression method ${method} (only stored and deflate are allowed)`);
      const unixMode = externalAttributes >>> 16;
      // No type bits (Python writes 0o600 alone) means an ordinary file; any other type is refused.
      if (madeByHost === 3 && (unixMode & S_IFMT) !== 0 && (unixMode & S_IFMT) !== S_IFREG) {
        const kind = (unixMode & S_IFMT) === 0o120000 ? 'a symbolic link' : (unixMode & S_IFMT) === 0o040000 ? 'a directory' : 'not a regular file';
        fail(path, `entry ${shown} is ${kind}`);
      }
      if (externalAttributes & MSDOS_DIRECTORY) fail(path, `entry ${shown} is a directory`);
      if (size > limits.maxEntryBytes) fail(path, `entry ${shown} declares ${size} bytes, more than the ${limits.maxEntryBytes} allowed for one file`);
      totalBytes += size;
      if (totalBytes > limits.maxTotalBytes) fail(path, `its entries declare more than ${limits.maxTotalBytes} bytes in total`);
      if (method === METHOD_STORED && size !== compressedSize) fail(path, `stored entry ${shown} has different stored and declared sizes`);
      if (size >= limits.ratioCheckFromBytes && size / Math.max(1, compressedSize) > limits.maxRatio) {
        fail(path, `entry ${shown} would expand ${Math.round(size / Math.max(1, compressedSize))}-fold, more than the ${limits.maxRatio}-fold allowed (a zip bomb?)`);
      }
      entries.push({ name, size, compressedSize, crc, method, dataOffset: 0 });
      localOffsets.push(localOffset);
    }
    const collision = caseInsensitiveCollision([...names]);
    if (collision) fail(path, `entries ${JSON.stringify(collision[0])} and ${JSON.stringify(collision[1])} differ only in letter case`);

    // Local headers: each must agree with its central record, and the data ranges must neither overlap each other
    // nor reach into the central directory.
    const spans: { start: number; end: number; name: string }[] = [];
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index]!;
      const offset = localOffsets[index]!;
      const header = await readAt(file, offset, LOCAL_HEADER_SIZE);
      if (header.length < LOCAL_HEADER_SIZE || header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) fail(path, `entry ${JSON.stringify(entry.name)} has no local header where the directory says`);
      const nameLength = header.readUInt16LE(26);
      const extraLength = header.readUInt16LE(28);
      const localName = await readAt(file, offset + LOCAL_HEADER_SIZE, nameLength);
      if (header.readUInt16LE(8) !== entry.method || localName.toString('utf8') !== entry.name) {
        fail(path, `entry ${JSON.stringify(entry.name)} has a local header that disagrees with the central directory`);
      }
      entry.dataOffset = offset + LOCAL_HEADER_SIZE + nameLength + extraLength;
      spans.push({ start: offset, end: entry.dataOffset + entry.compressedSize, name: entry.name });
    }
    spans.sort((a, b) => a.start - b.start);
    for (let index = 0; index < spans.length; index++) {
      const span = spans[index]!;
      const limit = index + 1 < spans.length ? spans[index + 1]!.start : cdOffset;
      if (span.end > limit) fail(path, `entry ${JSON.stringify(span.name)} overlaps ${index + 1 < spans.length ? `entry ${JSON.stringify(spans[index + 1]!.name)}` : 'the central directory'} (a zip bomb?)`);
    }
    return entries;
  }

  /** The ZIP64 end-of-central-directory record, found through its locator just before the classic end record. */
  private static async readZip64End(file: FileHandle, path: string, eocd: number) {
    if (eocd < ZIP64_LOCATOR_SIZE) fail(path, 'its end record asks for ZIP64 but there is no ZIP64 locator');
    const locator = await readAt(file, eocd - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) fail(path, 'its end record asks for ZIP64 but there is no ZIP64 locator');
    if (locator.readUInt32LE(4) !== 0 || locator.readUInt32LE(16) !== 1) fail(path, 'it is a multi-part archive');
    const recordOffset = safeNumber(path, locator.readBigUInt64LE(8), 'ZIP64 end record offset');
    if (recordOffset + ZIP64_END_SIZE > eocd - ZIP64_LOCATOR_SIZE) fail(path, 'its ZIP64 end record lies outside the archive');
    const record = await readAt(file, recordOffset, ZIP64_END_SIZE);
    if (record.length < ZIP64_END_SIZE || record.readUInt32LE(0) !== ZIP64_END_SIGNATURE) fail(path, 'its ZIP64 end record is missing or damaged');
    return {
      recordOffset,
      disk: record.readUInt32LE(16),
      cdDisk: record.readUInt32LE(20),
      onDisk: safeNumber(path, record.readBigUInt64LE(24), 'entry count'),
      total: safeNumber(path, record.readBigUInt64LE(32), 'entry count'),
      cdSize: safeNumber(path, record.readBigUInt64LE(40), 'central directory size'),
      cdOffset: safeNumber(path, record.readBigUInt64LE(48), 'central directory offset'),
    };
  }

  entry(name: string): ZipEntry | undefined {
    return this.entries.find((entry) => entry.name === name);
  }

  /**
   * The entry's uncompressed bytes, in chunks. Fails (BundleFormatError) when the data inflates to more or fewer bytes
   * than declared, or its CRC-32 does not match.
   */
  async *chunks(entry: ZipEntry): AsyncGenerator<Buffer> {
    if (entry.compressedSize === 0) {
      if (entry.size !== 0) fail(this.path, `entry ${JSON.stringify(entry.name)} declares ${entry.size} bytes but holds none`);
      return;
    }
    const raw = createReadStream(this.path, { start: entry.dataOffset, end: entry.dataOffset + entry.compressedSize - 1, highWaterMark: 1024 * 1024 });
    const inflater = entry.method === METHOD_DEFLATE ? zlib.createInflateRaw({ chunkSize: 256 * 1024 }) : undefined;
    const source = inflater ? raw.pipe(inflater) : raw;
    raw.on('error', (error) => inflater?.destroy(error));
    let produced = 0;
    let crc = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        produced += chunk.length;
        if (produced > entry.size) fail(this.path, `entry ${JSON.stringify(entry.name)} inflates to more than its declared ${entry.size} bytes (a zip bomb?)`);
        crc = zlib.crc32(chunk, crc);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof BundleFormatError) throw error;
      fail(this.path, `entry ${JSON.stringify(entry.name)} cannot be decompressed (${(error as Error).message})`);
    } finally {
      raw.destroy();
      inflater?.destroy();
    }
    if (produced !== entry.size) fail(this.path, `entry ${JSON.stringify(entry.name)} holds ${produced} bytes, not the ${entry.size} it declares`);
    if (crc >>> 0 !== entry.crc) fail(this.path, `entry ${JSON.stringify(entry.name)} fails its CRC-32 check (damaged in transit?)`);
  }

  /** The whole entry in memory; refuses entries above `maxBytes` (JSON files are small, events are streamed). */
  async read(entry: ZipEntry, maxBytes = 256 * 1024 * 1024): Promise<Buffer> {
    if (entry.size > maxBytes) fail(this.path, `entry ${JSON.stringify(entry.name)} is ${entry.size} bytes, more than the ${maxBytes} read at once`);
    const parts: Buffer[] = [];
    for await (const chunk of this.chunks(entry)) parts.push(chunk);
    return Buffer.concat(parts);
  }
}
