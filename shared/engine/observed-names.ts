// Normalizations that keep baselines robust to noise: varying path segments collapse, executables keep their path,
// addresses are classified as pod, service or external from the lab-independent facts in the inventory.

const VARYING_SEGMENT = /^([^/]*\d{3,}[^/]*|[0-9a-f]{8,}|\.\.\d{4}_\d{2}_\d{2}.*|tmp[a-z0-9_]{4,})$/i;

/** `/proc/1234/status` → `/proc/*\/status`; `/tmp/tmpab12cd/x` → `/tmp/*\/x`; k8s atomic-writer dirs collapse too. */
export function collapsePath(path: string): string {
  if (path.indexOf('/') === -1) return path;
  const segments = path.split('/');
  let changed = false;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.length > 0 && VARYING_SEGMENT.test(segment)) {
      segments[i] = '*';
      changed = true;
    }
  }
  return changed ? segments.join('/') : path;
}

export function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/** HTTP paths: query strings dropped, varying segments collapsed. */
export function collapseHttpPath(path: string): string {
  const query = path.indexOf('?');
  return collapsePath(query === -1 ? path : path.slice(0, query));
}

export function ipv4ToNumber(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    const n = Number(part);
    if (!Number.isInteger(n) || n < 0 || n > 255 || part === '') return null;
    value = value * 256 + n;
  }
  return value;
}

/** True when `ip` lies in `cidr` (IPv4; an IPv6 CIDR matches only the identical address). */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [network, bitsText] = cidr.split('/');
  if (network === undefined) return false;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const a = ipv4ToNumber(ip);
  const b = ipv4ToNumber(network);
  if (a === null || b === null) return ip === network;
  if (bits === 0) return true;
  const mask = bits >= 32 ? 0xffffffff : (~((1 << (32 - bits)) - 1)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16'];

const privateCache = new Map<string, boolean>();

export function isPrivateAddress(ip: string): boolean {
  let result = privateCache.get(ip);
  if (result === undefined) {
    result = ip === '::1' || ip.startsWith('fd') || ip.startsWith('fe80') || PRIVATE_RANGES.some((cidr) => ipInCidr(ip, cidr));
    if (privateCache.size > 50_000) privateCache.clear();
    privateCache.set(ip, result);
  }
  return result;
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
