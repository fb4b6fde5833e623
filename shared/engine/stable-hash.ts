// Deterministic, non-cryptographic hashes for ids (FNV-1a). Ids must not depend on randomness or the clock.

export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function shortHash(text: string): string {
  return fnv1a32(text).toString(16).padStart(8, '0');
}

/** A UUID-shaped (version 5 layout) id derived from the text: the same text always gives the same urn. */
export function stableUuid(text: string): string {
  const parts = [0x811c9dc5, 0x1b873593, 0x85ebca6b, 0xc2b2ae35].map((seed) => fnv1a32(text, seed).toString(16).padStart(8, '0'));
  const hex = parts.join('');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
