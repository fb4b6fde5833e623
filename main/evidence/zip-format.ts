// The few constants of the ZIP format (PKWARE APPNOTE 6.3) that Vigil's writer and reader share. Bundles are plain
// ZIP; ZIP64 fields (APPNOTE 4.3.14-4.3.15, 4.5.3) appear only where a value does not fit: an entry or offset at or
// over 4 GiB, or more than 65,535 entries.

export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
export const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const END_OF_CENTRAL_DIRECTORY_SIZE = 22;
export const MAX_ZIP32 = 0xffffffff;
export const MAX_ZIP16 = 0xffff;

export const ZIP64_END_SIGNATURE = 0x06064b50;
export const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
export const ZIP64_END_SIZE = 56;
export const ZIP64_LOCATOR_SIZE = 20;
/** Extra field header id of the ZIP64 extended information block. */
export const ZIP64_EXTRA_ID = 0x0001;
/**
 * Every local header reserves room for a ZIP64 block (the sizes are known only after the data): an entry that needs
 * no ZIP64 fills it with this vendor padding block instead, which every reader skips as an unknown extra field.
 */
export const PADDING_EXTRA_ID = 0x6756;
export const LOCAL_EXTRA_SIZE = 20;
export const VERSION_NEEDED_ZIP64 = 45;

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
