import { describe, expect, it } from 'vitest';
import { findSecrets, redactText, redactValue, type RedactionCounts } from './redaction.js';

const SECRETS: [string, string, string][] = [
  ['pem-private-key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA7'],
  ['pem-private-key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA (cut short)', 'b3BlbnNzaC1rZXktdjEAAAA'],
  ['jwt', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl', 'c2lnbmF0dXJl'],
  ['openai-key', 'OPENAI_API_KEY sk-proj-abcdefghijklmnopqrstuvwx', 'abcdefghijklmnopqrstuvwx'],
  ['anthropic-key', 'sk-ant-api03-abcdefghijklmnopqrst', 'abcdefghijklmnopqrst'],
  ['aws-access-key', 'aws id AKIAIOSFODNN7EXAMPLE here', 'IOSFODNN7EXAMPLE'],
  ['github-token', 'ghp_0123456789abcdefghijklmnopqrstuvwxyz', '0123456789abcdefghijkl'],
  ['slack-token', 'xoxb-123456789012-abcdefghij', '123456789012-abcdefghij'],
  ['google-api-key', 'AIzaSyA-abcdefghijklmnopqrstuvwxyz12345', 'SyA-abcdefghijklmnop'],
  ['bearer-token', 'Authorization: Bearer abc.def-ghi_jkl', 'abc.def-ghi_jkl'],
  ['basic-auth', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA'],
  ['url-credentials', 'postgres://admin:s3cr3tpw@db:5432/x', 's3cr3tpw'],
  ['kubernetes-bootstrap-token', 'kubeadm join --token abcdef.0123456789abcdef', 'abcdef.0123456789abcdef'],
  ['credential-assignment', 'password=hunter2hunter2 next', 'hunter2hunter2'],
  ['credential-assignment', '{"client_secret": "zzzz-9999-yyyy"}', 'zzzz-9999-yyyy'],
  ['credential-assignment', 'x-api-key: 1234567890abcdef', '1234567890abcdef'],
];

describe('redaction', () => {
  for (const [kind, input, secret] of SECRETS) {
    it(`removes a ${kind}: ${input.slice(0, 30)}…`, () => {
      const counts: RedactionCounts = {};
      const out = redactText(input, counts);
      expect(out).not.toContain(secret);
      expect(out).toContain(`[REDACTED:${kind}]`);
      expect(counts[kind as keyof RedactionCounts]).toBeGreaterThanOrEqual(1);
      expect(findSecrets(input).map((f) => f.kind)).toContain(kind);
      expect(findSecrets(out)).toEqual([]);
    });
  }

  it('leaves ordinary event text alone', () => {
    const ordinary = [
      '{"path":"/var/run/secrets/kubernetes.io/serviceaccount/token","flags":["O_RDONLY"]}',
      'GET /v1/models HTTP/1.1 Host: api.llm-provider.example',
      'python3 agent.py --model gpt-lab --max-tokens 512',
      'The token expired; the agent asked for a new one.',
      'https://docs.partner.example/reports/q3.html',
    ];
    for (const text of ordinary) {
      expect(redactText(text)).toBe(text);
      expect(findSecrets(text)).toEqual([]);
    }
  });

  it('redacts values under credential keys and secrets anywhere in nested values, without touching the input', () => {
    const input = { headers: { authorization: 'Token abcdef', cookie: 'session=1' }, args: ['--key', 'sk-abcdefghijklmnopqrstuvwxyz'], token: 'plain', n: 5 };
    const out = redactValue(input);
    expect(out).toEqual({
      headers: { authorization: '[REDACTED:credential-assignment]', cookie: '[REDACTED:credential-assignment]' },
      args: ['--key', '[REDACTED:openai-key]'],
      token: '[REDACTED:credential-assignment]',
      n: 5,
    });
    expect(input.headers.authorization).toBe('Token abcdef');
  });

  it('is idempotent: redacting twice changes nothing more', () => {
    const once = redactText(SECRETS.map(([, input]) => input).join('\n'));
    expect(redactText(once)).toBe(once);
  });
});
