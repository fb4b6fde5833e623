// Which archive entry names a bundle may hold. A hostile archive uses names to escape the folder it is unpacked in
// (`../`, absolute paths, drive letters, backslashes) or to collide on case-insensitive file systems; any such name
// makes the whole bundle unreadable rather than being skipped, because a bundle with one is not Vigil's output.

const MAX_NAME_BYTES = 512;

/** Why `name` is unsafe as a path inside a case folder, or undefined when it is safe. */
export function unsafeEntryNameReason(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES) return `is longer than ${MAX_NAME_BYTES} bytes`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'holds a control character';
  if (name.includes('\\')) return 'holds a backslash (a Windows path separator)';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  if (name.endsWith('/')) return 'is a directory entry';
  const segments = name.split('/');
  if (segments.some((segment) => segment === '..')) return 'climbs out of its folder with ".."';
  if (segments.some((segment) => segment === '' || segment === '.')) return 'has an empty or "." path segment';
  return undefined;
}

/** The first pair of names that differ only in letter case, which would overwrite each other on macOS or Windows. */
export function caseInsensitiveCollision(names: readonly string[]): [string, string] | undefined {
  const seen = new Map<string, string>();
  for (const name of names) {
    const folded = name.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined && earlier !== name) return [earlier, name];
    seen.set(folded, name);
  }
  return undefined;
}
