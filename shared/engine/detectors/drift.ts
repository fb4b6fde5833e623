// Drift: behaviour a ready baseline never saw — a new executable, egress destination or listening port. Low severity
// on its own (releases change behaviour); it joins a story only next to stronger signals. One corroborated rule is
// medium: a download from a new host followed by the execution of a file from a writable directory.
import type { FeatureKind } from '../behaviour-features.js';
import { processRef, workloadRef } from '../entity-ids.js';
import { baseName } from '../observed-names.js';
import { techniques } from '../techniques.js';
import type { SignalDraft } from '../signal-store.js';
import { baseKeys, where, type Detector, type DetectorContext } from './detector.js';

const DRIFT_KINDS: Partial<Record<FeatureKind, string>> = {
  executables: 'a new executable',
  egress: 'a new egress destination',
  ingress: 'a new listening port',
};
/** World-writable scratch directories (hidden names inside them included); not home caches such as ~/.cache. */
const WRITABLE_DIRS = /^\/(?:tmp|var\/tmp|dev\/shm|run\/user\/\d+)\//;
const INTERPRETERS = /^(?:python[\d.]*|perl|ruby|node|php|sh|bash|dash|ash|busybox)$/;
const DOWNLOAD_WINDOW_MS = 10 * 60_000;

export class DriftDetector implements Detector {
  readonly name = 'drift';
  readonly kinds = ['process.exec', 'net.connect', 'net.accept', 'http.request'] as const;
  private readonly downloads = new Map<string, { timeMs: number; time: string; eventId: string; url: string }>();

  onEvent(ctx: DetectorContext, emit: (draft: SignalDraft) => void): void {
    if (!ctx.ready || !ctx.profile || !ctx.o.workload) return;
    const e = ctx.o.event;
    const workload = ctx.o.workload;
    for (const feature of ctx.features) {
      const words = DRIFT_KINDS[feature.kind];
      if (!words || ctx.profile.has(feature.kind, feature.key)) continue;
      emit({
        detector: 'drift',
        rule: `new-${feature.kind === 'executables' ? 'executable' : feature.kind}`,
        dedupeKey: `${workload}|${feature.key}`,
        severity: 'low',
        confidence: 0.9,
        time: e.time,
        workload,
        pod: ctx.o.pod,
        techniques: [],
        summary: `${where(ctx)} shows ${words} never seen in its baseline: ${feature.key}`,
        explanation: 'New behaviour after the learning window. On its own this is often a release; it matters when other signals surround it.',
        eventIds: [e.id],
        entities: [workloadRef(workload)],
        correlationKeys: baseKeys(ctx),
      });
    }
    if (!ctx.o.pod) return;
    if (e.kind === 'http.request' && e.details.method === 'GET' && !ctx.profile.features.get('http')!.has(ctx.features[0]?.key ?? '')) {
      const host = e.details.host.toLowerCase().replace(/:\d+$/, '');
      // A download counts when it comes from a host the workload never reached, not a new page of a known site.
      const knownHost = [...ctx.profile.features.get('egress')!].some((k) => k.split(':')[1] === host);
      if (!knownHost && !ctx.names.workloadForHost(host)) this.downloads.set(ctx.o.pod, { timeMs: ctx.o.timeMs, time: e.time, eventId: e.id, url: `${host}${e.details.path}` });
    }
    if (e.kind === 'net.connect' && ctx.names.isExternalAddress(e.details.dstIp)) {
      const egress = ctx.features.find((f) => f.kind === 'egress');
      if (egress && !ctx.profile.has('egress', egress.key) && !ctx.names.isLlmHost(ctx.o.pod, e.details.dnsName ?? e.details.dstIp)) {
        const host = e.details.dnsName ?? ctx.names.dnsNameOf(e.details.dstIp) ?? e.details.dstIp;
        if (!this.downloads.has(ctx.o.pod)) this.downloads.set(ctx.o.pod, { timeMs: ctx.o.timeMs, time: e.time, eventId: e.id, url: `${host}:${e.details.dstPort}` });
      }
    }
    if (e.kind === 'process.exec') {
      // The file run may be the executable itself or the script an interpreter was handed.
      const exe = e.process?.exe ?? e.details.filename;
      const interpreter = INTERPRETERS.test(baseName(exe));
      const ran = [exe, e.details.filename, ...(interpreter ? (e.process?.args.slice(1) ?? []) : [])].find((a) => WRITABLE_DIRS.test(a));
      const download = this.downloads.get(ctx.o.pod);
      if (!download || !ran || ctx.o.timeMs - download.timeMs > DOWNLOAD_WINDOW_MS || ctx.profile.has('executables', ran)) return;
      emit({
        detector: 'drift',
        rule: 'download-and-exec',
        dedupeKey: `${ctx.o.pod}|${download.eventId}`,
        severity: 'medium',
        confidence: 0.75,
        time: download.time,
        workload,
        pod: ctx.o.pod,
        techniques: techniques('ingressToolTransfer'),
        summary: `${where(ctx)} downloaded ${download.url} and then ran ${ran}${ran === exe ? '' : ` with ${baseName(exe)}`} from a writable directory`,
        explanation: 'A file fetched from a host the workload never used, then executed from /tmp or a hidden directory, is how attackers bring their own tools into a container.',
        eventIds: [download.eventId, e.id],
        entities: [workloadRef(workload), processRef(workload, exe)],
        correlationKeys: baseKeys(ctx),
      });
    }
  }
}
