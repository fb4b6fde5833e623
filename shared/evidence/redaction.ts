// Secrets never enter a bundle: every string written passes through `redactText`, which replaces bearer tokens,
// API keys, JWTs (service-account tokens are JWTs), PEM private keys and credential assignments with a marker that
// names the kind. `findSecrets` is the same detector used as a check over finished output.
//
// The detectors favour recall over precision: replacing a harmless string that looks like a key costs an auditor
// little, leaking a live credential costs a great deal.

export type SecretKind =
  | 'pem-private-key'
  | 'jwt'
  | 'bearer-token'
  | 'basic-auth'
  | 'openai-key'
  | 'anthropic-key'
  | 'aws-access-key'
  | 'github-token'
  | 'slack-token'
  | 'google-api-key'
  | 'kubernetes-bootstrap-token'
  | 'credential-assignment'
  | 'url-credentials';

interface Detector {
  kind: SecretKind;
  pattern: RegExp;
  /** Replacement that keeps the non-secret context (a header name, a key name) readable. */
  replace: (match: string, ...groups: string[]) => string;
}

const marker = (kind: SecretKind) => `[REDACTED:${kind}]`;
const whole = (kind: SecretKind) => () => marker(kind);

// Order matters: the PEM block and JWTs go first so a bearer JWT is reported as a JWT inside an Authorization value.
const DETECTORS: Detector[] = [
  {
    kind: 'pem-private-key',
    pattern: /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|$)/g,
    replace: whole('pem-private-key'),
  },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g, replace: whole('jwt') },
  { kind: 'anthropic-key', pattern: /\bsk-ant-[A-Za-z0-9_-]{16,}/g, replace: whole('anthropic-key') },
  { kind: 'openai-key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, replace: whole('openai-key') },
  { kind: 'aws-access-key', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/g, replace: whole('aws-access-key') },
  { kind: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})/g, replace: whole('github-token') },
  { kind: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: whole('slack-token') },
  { kind: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}/g, replace: whole('google-api-key') },
  {
    kind: 'bearer-token',
    pattern: /\b(Bearer)([ \t]+|%20)(?!\[REDACTED:)[A-Za-z0-9._~+/=-]{8,}/gi,
    replace: (_m, scheme: string, gap: string) => `${scheme}${gap}${marker('bearer-token')}`,
  },
  {
    kind: 'basic-auth',
    pattern: /\b(Basic)([ \t]+)(?!\[REDACTED:)[A-Za-z0-9+/]{8,}={0,2}/g,
    replace: (_m, scheme: string, gap: string) => `${scheme}${gap}${marker('basic-auth')}`,
  },
  {
    kind: 'url-credentials',
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@"']+):(?!\[REDACTED:)([^\s/@"']+)@/gi,
    replace: (_m, scheme: string, user: string) => `${scheme}${user}:${marker('url-credentials')}@`,
  },
  {
    // Only next to the word "token" (kubeadm join --token, token: ...): the bare shape also fits harmless names.
    kind: 'kubernetes-bootstrap-token',
    pattern: /(token["']?(?:\s*[:=]\s*["']?|[ \t]+))([a-z0-9]{6}\.[a-z0-9]{16})\b/gi,
    replace: (_m, lead: string) => `${lead}${marker('kubernetes-bootstrap-token')}`,
  },
  {
    // key=value, key: value, "key": "value" and header forms (x-api-key: ...), for names that say "secret".
    kind: 'credential-assignment',
    pattern:
      /((?:api[_-]?key|apikey|x-api-key|access[_-]?token|auth[_-]?token|refresh[_-]?token|client[_-]?secret|secret[_-]?key|secret|password|passwd|pwd|private[_-]?key)["']?\s*[:=]\s*["']?)(?!\[REDACTED:)([^\s"'&,;}]{4,})/gi,
    replace: (_m, lead: string) => `${lead}${marker('credential-assignment')}`,
  },
];

// Cheap screen: text holding none of the detectors' anchors cannot match any detector. Most events (paths,
// addresses, process names) hold none, which keeps a million-event export fast: literal searches first, then one
// case-insensitive word pattern written with character classes (faster in V8 than the /i flag).
const LITERAL_ANCHORS = ['eyJ', 'sk-', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'xox', 'AIza', 'AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'PRIVATE KEY', '://'];
const WORD_ANCHORS = /[Bb]earer|BEARER|[Bb]asic[ \t]|BASIC[ \t]|(?:[Tt][Oo][Kk][Ee][Nn]|[Kk][Ee][Yy]|[Ss][Ee][Cc][Rr][Ee][Tt]|[Pp][Aa][Ss][Ss](?:[Ww](?:[Oo][Rr])?[Dd])?|[Pp][Ww][Dd])["']?(?:\s*[:=]|[ \t])/;

function mayHoldSecret(text: string): boolean {
  for (const anchor of LITERAL_ANCHORS) if (text.includes(anchor)) return true;
  return WORD_ANCHORS.test(text);
}


export type RedactionCounts = Partial<Record<SecretKind, number>>;

/** Replaces every secret in `text`; counts what it replaced into `counts` when given. */
export function redactText(text: string, counts?: RedactionCounts): string {
  if (!mayHoldSecret(text)) return text;
  let out = text;
  for (const detector of DETECTORS) {
    detector.pattern.lastIndex = 0;
    if (!detector.pattern.test(out)) continue;
    detector.pattern.lastIndex = 0;
    out = out.replace(detector.pattern, (...args: unknown[]) => {
      if (counts) counts[detector.kind] = (counts[detector.kind] ?? 0) + 1;
      const groups = args.slice(1, -2).map((g) => (typeof g === 'string' ? g : ''));
      return detector.replace(args[0] as string, ...groups);
    });
  }
  return out;
}

/** Object keys whose string value is a credential whatever it looks like (`{"password": "hunter2"}`). */
const CREDENTIAL_KEY = /^(?:api[_-]?key|apikey|x-api-key|access[_-]?token|auth[_-]?token|refresh[_-]?token|id[_-]?token|token|client[_-]?secret|secret[_-]?key|secret|password|passwd|pwd|private[_-]?key|authorization|proxy-authorization|cookie|set-cookie)$/i;

/** Redacts every string (values and keys) inside a JSON-like value; returns a new value, the input is untouched. */
export function redactValue<T>(value: T, counts?: RedactionCounts): T {
  if (typeof value === 'string') return redactText(value, counts) as T;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, counts)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const isCredential = typeof item === 'string' && item.length > 0 && CREDENTIAL_KEY.test(key) && !item.startsWith('[REDACTED:');
      if (isCredential && counts) counts['credential-assignment'] = (counts['credential-assignment'] ?? 0) + 1;
      out[redactText(key, counts)] = isCredential ? marker('credential-assignment') : redactValue(item, counts);
    }
    return out as T;
  }
  return value;
}

export interface SecretFinding {
  kind: SecretKind;
  /** Character offset in the text searched. */
  index: number;
  /** The first characters of the match, enough to find it, not enough to use it. */
  preview: string;
}

/** Every secret the detectors find in `text` (already redacted markers are not findings). */
export function findSecrets(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  if (!mayHoldSecret(text)) return findings;
  for (const detector of DETECTORS) {
    detector.pattern.lastIndex = 0;
    for (const match of text.matchAll(detector.pattern)) {
      findings.push({ kind: detector.kind, index: match.index ?? 0, preview: `${match[0].slice(0, 6)}…` });
    }
  }
  return findings.sort((a, b) => a.index - b.index);
}
