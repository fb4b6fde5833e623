// The few constants of the ZIP format (PKWARE APPNOTE 6.3) that Vigil's writer and reader share. Bundles use plain
// ZIP without ZIP64: one entry and the whole archive stay under 4 GiB, which the writer checks.

export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
export const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const END_OF_CENTRAL_DIRECTORY_SIZE = 22;
export const MAX_ZIP32 = 0xffffffff;

export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;
/** General purpose flag bit 11: names are UTF-8. */
export const FLAG_UTF8 = 0x0800;
export const FLAG_ENCRYPTED = 0x0001;
/** "Made by" host 3 = Unix, spec version 2.0: external attributes then carry the Unix mode in their top 16 bits. */
export const MADE_BY_UNIX = (3 << 8) | 20;
export const VERSION_NEEDED = 20;
export const UNIX_REGULAR_FILE_0644 = (0o100644 << 16) >>> 0;

/** MS-DOS date and time fields (local-time-free: we store UTC, as most tools read it back the same way). */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, Math.min(2107, date.getUTCFullYear()));
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}
