// Credential access: service-account tokens, cloud credentials, kubeconfigs, SSH keys or /etc/shadow read by a process
// that never read that kind of credential during the baseline; and a service account using the Kubernetes API in a
// way it never did (listing secrets above all), seen in the API server's audit log or in plaintext HTTP.
import type { EventOfKind } from '../../model/event.js';
import type { TechniqueName } from '../techniques.js';
import { entityId, fileRef, identityRef, processRef, ref, workloadRef, KUBERNETES_API_ENTITY } from '../entity-ids.js';
import { baseName } from '../observed-names.js';
import { isCredentialRead } from '../behaviour-features.js';
import { techniques } from '../techniques.js';
import { memoized } from '../memo.js';
import type { SignalDraft } from '../signal-store.js';
import { baseKeys, where, type Detector, type DetectorContext } from './detector.js';

const CATEGORY_WORDS: Record<string, string> = {
  'sa-token': 'its Kubernetes service-account token',
  'cloud-credential': 'cloud credentials',
  kubeconfig: 'a kubeconfig',
  'ssh-key': 'an SSH private key',
  shadow: 'the password hashes in /etc/shadow',
};

const CATEGORY_TECHNIQUES: Record<string, TechniqueName[]> = {
  'sa-token': ['stealAccessToken', 'credentialsInFiles', 'atlasUnsecuredCredentials', 'agentIdentityAbuse'],
  'cloud-credential': ['credentialsInFiles', 'atlasUnsecuredCredentials', 'agentIdentityAbuse'],
  kubeconfig: ['credentialsInFiles', 'atlasUnsecuredCredentials', 'agentIdentityAbuse'],
  'ssh-key': ['privateKeys', 'atlasUnsecuredCredentials'],
  shadow: ['shadowFile', 'atlasUnsecuredCredentials'],
};

const SENSITIVE_RESOURCES = new Set(['secrets', 'serviceaccounts/token', 'pods/exec', 'pods/attach', 'clusterrolebindings', 'rolebindings', 'certificatesigningrequests', 'tokenreviews']);
const KUBE_API_HOST = /^(?:kubernetes(?:\.default(?:\.svc(?:\.[a-z0-9.-]+)?)?)?|10\.96\.0\.1)(?::\d+)?$/i;
const SECRETS_PATH = /^\/api\/v1\/(?:namespaces\/[^/]+\/)?secrets(?:\/|\?|$)/;
const isKubeApiHost = memoized((host) => KUBE_API_HOST.test(host));

export class CredentialAccessDetector implements Detector {
  readonly name = 'credential-access';
  readonly kinds = ['file.open', 'k8s.audit', 'http.request'] as const;

  onEvent(ctx: DetectorContext, emit: (draft: SignalDraft) => void): void {
    const e = ctx.o.event;
    if (e.kind === 'file.open') this.onFile(ctx, e, emit);
    else if (e.kind === 'k8s.audit') this.onAudit(ctx, e, emit);
    else if (e.kind === 'http.request' && isKubeApiHost(e.details.host) && SECRETS_PATH.test(e.details.path)) this.onSecretsHttp(ctx, e, emit);
  }

  private onFile(ctx: DetectorContext, e: EventOfKind<'file.open'>, emit: (draft: SignalDraft) => void): void {
    const category = e.details.category;
    const words = CATEGORY_WORDS[category];
    if (!words || !ctx.ready || !ctx.o.workload || !isCredentialRead(category, e.details.path)) return;
    const exe = e.process?.exe ?? '?';
    if (ctx.profile!.has('credentialReaders', `${exe}|${category}`)) return;
    const failed = e.details.errno !== 0;
    const mcp = ctx.names.roleOf(ctx.o.workload) === 'mcp-server';
    // Through an MCP server, what it reads goes back to the model as a tool result: disclosure and identity abuse too.
    const names: TechniqueName[] = [...CATEGORY_TECHNIQUES[category]!, ...(mcp ? (['llmSensitiveDisclosure', 'agentToolMisuse', 'agentIdentityAbuse'] as const) : [])];
    const identity = category === 'sa-token' ? ctx.o.identity : null;
    emit({
      detector: 'credential-access',
      rule: 'new-credential-reader',
      dedupeKey: `${ctx.o.pod ?? ctx.o.workload}|${category}|${exe}`,
      severity: failed ? 'medium' : 'high',
      confidence: failed ? 0.6 : 0.85,
      time: e.time,
      workload: ctx.o.workload,
      pod: ctx.o.pod,
      techniques: techniques(...names),
      summary: `${baseName(exe)} in ${where(ctx)}${mcp ? ' (an MCP server)' : ''} ${failed ? 'tried to read' : 'read'} ${words} (${e.details.path})${failed ? `, errno ${e.details.errno}` : ''}`,
      explanation: `No process running ${exe} in this workload read ${words} during the baseline; reading credentials it never needed is how an intruder takes over an identity.`,
      eventIds: [e.id],
      entities: [workloadRef(ctx.o.workload), processRef(ctx.o.workload, exe), fileRef(e.details.path), ...(identity ? [identityRef(identity)] : [])],
      correlationKeys: [...baseKeys(ctx), `data:file:${e.details.path}`, ...(identity ? [`identity:${identity}`] : [])],
    });
  }

  private onAudit(ctx: DetectorContext, e: EventOfKind<'k8s.audit'>, emit: (draft: SignalDraft) => void): void {
    const d = e.details;
    if (!d.user.startsWith('system:serviceaccount:')) return;
    if (!ctx.ready || !ctx.profile) return;
    const apiKey = ctx.features.find((f) => f.kind === 'apiUse')?.key;
    if (apiKey && ctx.profile.has('apiUse', apiKey)) return;
    const resource = d.subresource ? `${d.resource}/${d.subresource}` : d.resource;
    const sensitive = SENSITIVE_RESOURCES.has(resource);
    const allowed = d.responseCode === undefined || d.responseCode < 400;
    this.emitApiUse(ctx, emit, {
      eventId: e.id,
      time: e.time,
      verb: d.verb,
      resource,
      namespace: d.namespace,
      name: d.name,
      user: d.user,
      outcome: allowed ? 'allowed' : `refused (${d.responseCode})`,
      severity: sensitive ? (allowed ? 'high' : 'medium') : 'low',
    });
  }

  private onSecretsHttp(ctx: DetectorContext, e: EventOfKind<'http.request'>, emit: (draft: SignalDraft) => void): void {
    if (!ctx.ready || !ctx.profile) return;
    const namespace = /\/namespaces\/([^/]+)\//.exec(e.details.path)?.[1];
    const name = /\/secrets\/([^/?]+)/.exec(e.details.path)?.[1];
    const status = e.details.status;
    this.emitApiUse(ctx, emit, {
      eventId: e.id,
      time: e.time,
      verb: e.details.method === 'GET' ? (name ? 'get' : 'list') : e.details.method.toLowerCase(),
      resource: 'secrets',
      namespace,
      name,
      user: ctx.o.identity,
      outcome: status === undefined || status < 400 ? 'allowed' : `refused (${status})`,
      severity: status === undefined || status < 400 ? 'high' : 'medium',
    });
  }

  private emitApiUse(
    ctx: DetectorContext,
    emit: (draft: SignalDraft) => void,
    use: { eventId: string; time: string; verb: string; resource: string; namespace: string | undefined; name: string | undefined; user: string | null; outcome: string; severity: 'low' | 'medium' | 'high' },
  ): void {
    const subject = use.user ? identityRef(use.user).label : `the identity of ${where(ctx)}`;
    const scope = use.namespace ? `in namespace ${use.namespace}` : 'across all namespaces';
    const target = entityId.kubeObject(use.resource, use.namespace, use.name);
    emit({
      detector: 'credential-access',
      rule: use.severity === 'low' ? 'new-api-use' : 'new-sensitive-api-use',
      dedupeKey: `${ctx.o.pod ?? use.user}|${use.resource}|${use.namespace ?? '*'}`,
      severity: use.severity,
      confidence: 0.85,
      time: use.time,
      workload: ctx.o.workload,
      pod: ctx.o.pod,
      techniques: use.resource === 'secrets' ? techniques('containerApi', 'containerDiscovery', 'atlasUnsecuredCredentials', 'agentIdentityAbuse') : techniques('containerDiscovery', 'agentIdentityAbuse'),
      summary: `${subject}${ctx.o.pod ? ` (from ${where(ctx)})` : ''} called the Kubernetes API to ${use.verb} ${use.resource}${use.name ? ` ${use.name}` : ''} ${scope}: ${use.outcome}`,
      explanation: `This identity never made this call during the workload's baseline; ${use.resource === 'secrets' ? 'listing secrets hands over every credential they hold' : 'new API use by a workload identity deserves a look'}.`,
      eventIds: [use.eventId],
      entities: [...(ctx.o.workload ? [workloadRef(ctx.o.workload)] : []), ...(use.user ? [identityRef(use.user)] : []), ref('api', KUBERNETES_API_ENTITY, 'Kubernetes API'), ref('data', target, `${use.resource}${use.namespace ? ` in ${use.namespace}` : ''}`)],
      correlationKeys: [...baseKeys(ctx), ...(use.user ? [`identity:${use.user}`] : []), `data:${target}`],
    });
  }
}
