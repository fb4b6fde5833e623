import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeConnection } from './connection-state.js';
import { KubeconfigSet, clusterIdFor, kubeconfigFiles } from './kubeconfig-contexts.js';
import { startFakeApiServer } from './testing/fake-api-server.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const first = write(
  'first.yaml',
  `apiVersion: v1
kind: Config
current-context: alpha
clusters:
- name: prod
  cluster: { server: 'https://prod.example:6443', certificate-authority: ca.crt }
users:
- name: token-user
  user: { token: abc }
- name: cert-user
  user: { client-certificate-data: Zm9v, client-key-data: YmFy }
contexts:
- name: alpha
  context: { cluster: prod, user: token-user, namespace: agents }
- name: beta
  context: { cluster: prod, user: cert-user }
`,
);
const second = write(
  'second.yaml',
  `apiVersion: v1
kind: Config
current-context: gamma
users:
- name: exec-user
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1, command: /bin/true }
- name: oidc-user
  user:
    auth-provider: { name: oidc, config: { client-id: x } }
contexts:
- name: gamma
  context: { cluster: prod, user: exec-user }
- name: alpha
  context: { cluster: prod, user: oidc-user }
- name: delta
  context: { cluster: prod, user: oidc-user }
- name: orphan
  context: { cluster: nowhere, user: exec-user }
`,
);
const badYaml = write('bad-yaml.yaml', 'clusters:\n  - name: x\n   cluster: [unclosed\n');
const notAMapping = write('list.yaml', '- just\n- a list\n');
const contextsNotAList = write('contexts-map.yaml', 'contexts:\n  alpha: {}\n');
const serverMissing = write('no-server.yaml', 'clusters:\n- name: c\n  cluster: {}\ncontexts: []\n');

describe('kubeconfigFiles', () => {
  it('splits KUBECONFIG on the path delimiter and falls back to ~/.kube/config', () => {
    expect(kubeconfigFiles({ KUBECONFIG: `${first}${path.delimiter}${path.delimiter}${second}` }, '/home/u')).toEqual({ files: [first, second], explicit: true });
    expect(kubeconfigFiles({}, '/home/u')).toEqual({ files: ['/home/u/.kube/config'], explicit: false });
  });
});

describe('KubeconfigSet', () => {
  it('merges files as kubectl does: first definition of a name and first current-context win', () => {
    const set = new KubeconfigSet([first, second]);
    expect(set.contexts.map((c) => c.name)).toEqual(['alpha', 'beta', 'gamma', 'delta']);
    const alpha = set.find('alpha')!;
    expect(alpha).toMatchObject({ file: first, server: 'https://prod.example:6443', user: 'token-user', namespace: 'agents', auth: 'token', current: true, alsoDefinedIn: [second] });
    expect(set.find('beta')?.auth).toBe('client-certificate');
    // gamma lives in the second file but uses the first file's cluster, as kubectl allows.
    expect(set.find('gamma')).toMatchObject({ file: second, auth: 'exec', current: false });
    expect(set.find('delta')?.auth).toBe('auth-provider');
    expect(set.problems).toEqual([{ file: second, context: 'orphan', message: "context 'orphan' names cluster 'nowhere', which no kubeconfig file defines" }]);
  });

  it('gives each context a stable id from its file path and name', () => {
    const a = new KubeconfigSet([first, second]).find('gamma')!.id;
    const b = new KubeconfigSet([second, first]).find('gamma')!.id;
    expect(a).toBe(b);
    expect(a).toBe(clusterIdFor(second, 'gamma'));
    expect(a).not.toBe(clusterIdFor(first, 'gamma'));
  });

  it('names each broken file and its problem, and still loads the good ones', () => {
    const missing = path.join(dir, 'missing.yaml');
    const set = new KubeconfigSet([badYaml, first, notAMapping, contextsNotAList, serverMissing, missing]);
    expect(set.contexts.map((c) => c.name)).toEqual(['alpha', 'beta']);
    const byFile = Object.fromEntries(set.problems.map((p) => [path.basename(p.file), p.message]));
    expect(byFile['bad-yaml.yaml']).toBe('not valid YAML at line 3, column 4: bad indentation of a sequence entry');
    expect(byFile['list.yaml']).toBe('not a kubeconfig: expected a YAML mapping with clusters, users and contexts');
    expect(byFile['contexts-map.yaml']).toBe("'contexts' must be a list");
    expect(byFile['no-server.yaml']).toBe('clusters[0].cluster.server is missing');
    expect(byFile['missing.yaml']).toBe('file does not exist (skipped, as kubectl does)');
  });

  it('runs an exec credential plugin and sends the token it returns', async () => {
    const fake = await startFakeApiServer();
    try {
      const plugin = write('plugin.sh', `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-exec-plugin"}}'\n`);
      chmodSync(plugin, 0o755);
      const file = write(
        'exec.yaml',
        `clusters:
- name: fake
  cluster: { server: '${fake.url}', insecure-skip-tls-verify: true }
users:
- name: plugin
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1, command: '${plugin}', interactiveMode: Never }
contexts:
- name: via-exec
  context: { cluster: fake, user: plugin }
`,
      );
      const set = new KubeconfigSet([file]);
      const state = await probeConnection(set.client('via-exec'));
      expect(state).toMatchObject({ state: 'connected', version: 'v1.32.0-fake' });
      expect(fake.authorizations.at(-1)).toBe('Bearer from-exec-plugin');
    } finally {
      await fake.close();
    }
  });

  it('reports an unreachable server and an unknown context clearly', async () => {
    const file = write(
      'dead.yaml',
      `clusters:\n- name: dead\n  cluster: { server: 'http://127.0.0.1:1', insecure-skip-tls-verify: true }\nusers:\n- name: u\n  user: { token: t }\ncontexts:\n- name: dead\n  context: { cluster: dead, user: u }\n`,
    );
    const set = new KubeconfigSet([file]);
    const state = await probeConnection(set.client('dead'));
    expect(state.state).toBe('unreachable');
    expect(() => set.client('nope')).toThrow("no kubeconfig context named 'nope' (known: dead)");
  });
});
