// Token users of the lab (kube-apiserver --token-auth-file) and the one kubeconfig with a context per user.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dump as toYaml } from 'js-yaml';
import { LAB_CONTEXTS } from '../lab-state.js';

export type LabUserRole = keyof typeof LAB_CONTEXTS;

export interface LabUser { role: LabUserRole; user: string; token: string; groups: string[] }

/** Group the responder and auditor users are in; RBAC bindings name these groups. */
export const RESPONDER_GROUP = 'vigil-lab:responders';
export const AUDITOR_GROUP = 'vigil-lab:auditors';

const GROUPS: Record<LabUserRole, string[]> = {
  admin: ['system:masters'],
  responder: [RESPONDER_GROUP],
  auditor: [AUDITOR_GROUP],
};

/** Creates the tokens file once (random tokens) and returns the users; later calls read it back. */
export function ensureLabUsers(pkiDir: string): { users: LabUser[]; tokenFile: string } {
  const tokenFile = path.join(pkiDir, 'tokens.csv');
  if (!existsSync(tokenFile)) {
    const lines = (Object.keys(LAB_CONTEXTS) as LabUserRole[]).map((role) => {
      const token = randomBytes(24).toString('hex');
      return `${token},${LAB_CONTEXTS[role]},${LAB_CONTEXTS[role]},"${GROUPS[role].join(',')}"`;
    });
    writeFileSync(tokenFile, lines.join('\n') + '\n', { mode: 0o600 });
  }
  const users = readFileSync(tokenFile, 'utf8').trim().split('\n').map((line): LabUser => {
    const [token = '', user = ''] = line.split(',');
    const role = (Object.keys(LAB_CONTEXTS) as LabUserRole[]).find((r) => LAB_CONTEXTS[r] === user);
    if (!role) throw new Error(`unexpected user ${user} in ${tokenFile}`);
    return { role, user, token, groups: GROUPS[role] };
  });
  return { users, tokenFile };
}

export function writeKubeconfig(file: string, server: string, caFile: string, users: LabUser[]): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'vigil-lab', cluster: { server, 'certificate-authority': caFile } }],
    users: users.map((u) => ({ name: u.user, user: { token: u.token } })),
    contexts: users.map((u) => ({ name: LAB_CONTEXTS[u.role], context: { cluster: 'vigil-lab', user: u.user } })),
    'current-context': LAB_CONTEXTS.admin,
    preferences: {},
  };
  writeFileSync(file, toYaml(config), { mode: 0o600 });
}
