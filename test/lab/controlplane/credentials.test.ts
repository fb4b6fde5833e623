import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ensureLabUsers, writeKubeconfig } from './credentials.js';

describe('lab token users and kubeconfig', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-lab-cred-'));

  it('creates one token per user once, with the groups RBAC binds, and keeps them on the next call', () => {
    const first = ensureLabUsers(dir);
    expect(first.users.map((u) => u.user).sort()).toEqual(['vigil-lab-admin', 'vigil-lab-auditor', 'vigil-lab-responder']);
    expect(first.users.find((u) => u.role === 'admin')?.groups).toEqual(['system:masters']);
    expect(readFileSync(first.tokenFile, 'utf8')).toMatch(/^[0-9a-f]{48},vigil-lab-admin,vigil-lab-admin,"system:masters"$/m);
    expect(statSync(first.tokenFile).mode & 0o077).toBe(0);
    expect(ensureLabUsers(dir).users).toEqual(first.users);
  });

  it('writes a kubeconfig with a context per user against the lab CA', () => {
    const { users } = ensureLabUsers(dir);
    const file = path.join(dir, 'kubeconfig');
    writeKubeconfig(file, 'https://127.0.0.1:16443', '/x/ca.crt', users);
    const config = load(readFileSync(file, 'utf8')) as { contexts: { name: string; context: { user: string } }[]; clusters: { cluster: Record<string, string> }[]; 'current-context': string };
    expect(config.contexts.map((c) => c.name).sort()).toEqual(['vigil-lab-admin', 'vigil-lab-auditor', 'vigil-lab-responder']);
    expect(config.clusters[0]?.cluster['certificate-authority']).toBe('/x/ca.crt');
    expect(config['current-context']).toBe('vigil-lab-admin');
  });
});
