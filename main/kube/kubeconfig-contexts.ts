// Every context of the user's kubeconfig files, as kubectl sees them: the files of KUBECONFIG (several, separated
// by ':' — ';' on Windows) or ~/.kube/config; for clusters, users and contexts the first file defining a name wins,
// and so does the first current-context. A file that cannot be read or parsed is reported by name with the problem;
// the other files' contexts still load.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { load as loadYaml } from 'js-yaml';
import { KubeClient } from './kube-client.js';

export type AuthKind = 'token' | 'client-certificate' | 'exec' | 'auth-provider' | 'basic' | 'none';

export interface KubeContextInfo {
  /** Stable cluster id: hash of the kubeconfig file's absolute path and the context name. */
  id: string;
  name: string;
  file: string;
  cluster: string;
  server: string;
  user: string;
  namespace?: string;
  auth: AuthKind;
  current: boolean;
  /** Later files that also define a context of this name (kubectl ignores those, and so does Vigil). */
  alsoDefinedIn: string[];
}

export interface KubeconfigProblem {
  file: string;
  context?: string;
  message: string;
}

export function clusterIdFor(file: string, contextName: string): string {
  return createHash('sha256').update(`${path.resolve(file)}\n${contextName}`).digest('hex').slice(0, 24);
}

/** The kubeconfig files kubectl would read, in order. */
export function kubeconfigFiles(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): { files: string[]; explicit: boolean } {
  const list = (env.KUBECONFIG ?? '').split(path.delimiter).filter((f) => f.length > 0);
  if (list.length > 0) return { files: [...new Set(list.map((f) => path.resolve(f)))], explicit: true };
  return { files: [path.join(home, '.kube', 'config')], explicit: false };
}

function authKindOf(user: User | null): AuthKind {
  if (!user) return 'none';
  if (user.exec) return 'exec';
  if (user.authProvider) return 'auth-provider';
  if (user.certData || user.certFile) return 'client-certificate';
  if (user.token) return 'token';
  if (user.username) return 'basic';
  return 'none';
}

interface ParsedFile {
  file: string;
  config: KubeConfig;
}

/** Reads one file; throws an Error whose message names the problem (the caller adds the file name). */
function parseKubeconfigFile(file: string): KubeConfig {
  const text = readFileSync(file, 'utf8');
  const config = new KubeConfig();
  if (text.trim() === '') return config;
  let document: unknown;
  try {
    document = loadYaml(text);
  } catch (error) {
    const { reason, mark } = error as { reason?: string; mark?: { line: number; column: number } };
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    throw new Error(`not valid YAML${where}: ${reason ?? (error as Error).message.split('\n')[0]}`, { cause: error });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new Error('not a kubeconfig: expected a YAML mapping with clusters, users and contexts');
  }
  for (const key of ['clusters', 'users', 'contexts'] as const) {
    const value = (document as Record<string, unknown>)[key];
    if (value !== undefined && value !== null && !Array.isArray(value)) throw new Error(`'${key}' must be a list`);
  }
  config.loadFromString(text);
  config.makePathsAbsolute(path.dirname(file));
  return config;
}

export class KubeconfigSet {
  readonly contexts: KubeContextInfo[] = [];
  readonly problems: KubeconfigProblem[] = [];
  readonly files: string[];
  private readonly resolved = new Map<string, { cluster: Cluster; user: User; context: Context }>();

  constructor(files: string[], explicit = true) {
    this.files = files;
    const parsed: ParsedFile[] = [];
    for (const file of files) {
      try {
        parsed.push({ file, config: parseKubeconfigFile(file) });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          // kubectl skips a missing file in KUBECONFIG; say so, but a missing default ~/.kube/config is no problem.
          if (explicit) this.problems.push({ file, message: 'file does not exist (skipped, as kubectl does)' });
          continue;
        }
        this.problems.push({ file, message: code ? `cannot read the file (${(error as Error).message})` : (error as Error).message });
      }
    }
    this.merge(parsed);
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): KubeconfigSet {
    const { files, explicit } = kubeconfigFiles(env);
    return new KubeconfigSet(files, explicit);
  }

  private merge(parsed: ParsedFile[]): void {
    const clusters = new Map<string, Cluster>();
    const users = new Map<string, User>();
    let currentContext: string | undefined;
    for (const { config } of parsed) {
      for (const c of config.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
      for (const u of config.users) if (!users.has(u.name)) users.set(u.name, u);
      if (!currentContext && config.currentContext) currentContext = config.currentContext;
    }
    const byName = new Map<string, KubeContextInfo>();
    for (const { file, config } of parsed) {
      for (const context of config.contexts) {
        const earlier = byName.get(context.name);
        if (earlier) {
          earlier.alsoDefinedIn.push(file);
          continue;
        }
        const cluster = clusters.get(context.cluster);
        const user = users.get(context.user);
        if (!cluster) {
          this.problems.push({ file, context: context.name, message: `context '${context.name}' names cluster '${context.cluster}', which no kubeconfig file defines` });
          continue;
        }
        const info: KubeContextInfo = {
          id: clusterIdFor(file, context.name),
          name: context.name,
          file,
          cluster: context.cluster,
          server: cluster.server,
          user: context.user,
          ...(context.namespace ? { namespace: context.namespace } : {}),
          auth: authKindOf(user ?? null),
          current: context.name === currentContext,
          alsoDefinedIn: [],
        };
        byName.set(context.name, info);
        this.contexts.push(info);
        // A context whose user is not defined connects anonymously, as kubectl does.
        this.resolved.set(context.name, { cluster, user: user ?? { name: context.user }, context });
      }
    }
  }

  find(name: string): KubeContextInfo | undefined {
    return this.contexts.find((c) => c.name === name);
  }

  /** A KubeConfig holding just this context (selected), for client-node's credential handling. */
  kubeConfigFor(name: string): KubeConfig {
    const entry = this.resolved.get(name);
    if (!entry) {
      const known = this.contexts.map((c) => c.name).join(', ') || 'none';
      throw new Error(`no kubeconfig context named '${name}' (known: ${known})`);
    }
    const config = new KubeConfig();
    config.loadFromOptions({ clusters: [entry.cluster], users: [entry.user], contexts: [entry.context], currentContext: name });
    return config;
  }

  client(name: string, timeoutMs?: number): KubeClient {
    return new KubeClient(this.kubeConfigFor(name), name, timeoutMs);
  }
}
