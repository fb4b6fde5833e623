// Per-workload baselines (application profiles), merged across replicas. A baseline learns for a window of event
// time from the workload's first event and is then frozen ("ready"): later behaviour is compared, not learned, so
// an attack after the learning period can never teach the baseline that it is normal.
import type { WorkloadBaseline } from '../model/baseline.js';
import { FEATURE_KINDS, type Feature, type FeatureKind } from './behaviour-features.js';
import { isoOfMs } from './event-time.js';

export interface BaselineOptions {
  /** How long a workload's baseline learns, in event time. */
  learningWindowMs: number;
  /** Fewest events before a baseline may become ready (a quiet workload keeps learning). */
  minEvents: number;
  /**
   * When set, every baseline learns until this event time (ms) instead of for a window from its own first event:
   * for cases whose benign period is known (e.g. "the baseline-traffic run ended at T").
   */
  learnUntilMs?: number;
  /** With learnUntilMs: events before this time are not learned (a known benign period has a start too). */
  learnFromMs?: number;
}

export class WorkloadProfile {
  readonly features = new Map<FeatureKind, Set<string>>();
  /** One event id per learned feature key, to justify generated policy rules. */
  readonly evidence = new Map<string, string>();
  readonly pods = new Set<string>();
  eventCount = 0;
  private ready = false;
  /** The pod last added to `pods`: events come in runs from one pod, the set need not be asked each time. */
  private lastPod: string | null = null;

  constructor(readonly workload: string, readonly startedMs: number, private readonly options: BaselineOptions) {
    for (const kind of FEATURE_KINDS) this.features.set(kind, new Set());
  }

  get readyAtMs(): number {
    return this.options.learnUntilMs ?? this.startedMs + this.options.learningWindowMs;
  }

  /** Ready once the window has passed in event time and enough events were seen. Never goes back to learning. */
  isReady(timeMs: number): boolean {
    if (!this.ready && timeMs >= this.readyAtMs && this.eventCount >= this.options.minEvents) this.ready = true;
    return this.ready;
  }

  /** Whether learning has ended, without advancing time (safe to ask at any point). */
  get learned(): boolean {
    return this.ready;
  }

  has(kind: FeatureKind, key: string): boolean {
    return this.features.get(kind)!.has(key);
  }

  notePod(pod: string | null): void {
    if (pod && pod !== this.lastPod) {
      this.pods.add(pod);
      this.lastPod = pod;
    }
  }

  learn(features: readonly Feature[], eventId: string, pod: string | null): void {
    this.eventCount++;
    this.notePod(pod);
    for (const feature of features) {
      const set = this.features.get(feature.kind)!;
      if (!set.has(feature.key)) {
        set.add(feature.key);
        this.evidence.set(`${feature.kind}|${feature.key}`, eventId);
      }
    }
  }

  toJSON(): WorkloadBaseline {
    const sorted = (kind: FeatureKind) => [...this.features.get(kind)!].sort();
    return {
      workload: this.workload,
      state: this.ready ? 'ready' : 'learning',
      learningStartedAt: isoOfMs(this.startedMs),
      readyAt: isoOfMs(this.readyAtMs),
      eventCount: this.eventCount,
      pods: [...this.pods].sort(),
      executables: sorted('executables'),
      lineage: sorted('lineage'),
      egress: sorted('egress'),
      egressAddresses: sorted('egressAddresses'),
      ingress: sorted('ingress'),
      ingressPeers: sorted('ingressPeers'),
      dnsNames: sorted('dnsNames'),
      files: sorted('files'),
      credentialReaders: sorted('credentialReaders'),
      syscalls: sorted('syscalls'),
      http: sorted('http'),
      models: sorted('models'),
      tools: sorted('tools'),
      toolPaths: sorted('toolPaths'),
      toolHosts: sorted('toolHosts'),
      apiUse: sorted('apiUse'),
      apiObjects: sorted('apiObjects'),
    };
  }
}

export class BaselineLearner {
  private readonly profiles = new Map<string, WorkloadProfile>();

  constructor(readonly options: BaselineOptions) {}

  profileFor(workload: string, timeMs: number): WorkloadProfile {
    let profile = this.profiles.get(workload);
    if (!profile) {
      profile = new WorkloadProfile(workload, timeMs, this.options);
      this.profiles.set(workload, profile);
    }
    return profile;
  }

  get(workload: string): WorkloadProfile | undefined {
    return this.profiles.get(workload);
  }

  all(): WorkloadProfile[] {
    return [...this.profiles.values()].sort((a, b) => (a.workload < b.workload ? -1 : 1));
  }

  /** Counts the event; learns its features only while the profile is still learning. */
  observe(profile: WorkloadProfile, features: readonly Feature[], eventId: string, pod: string | null, timeMs: number): void {
    if (profile.isReady(timeMs) || (this.options.learnFromMs !== undefined && timeMs < this.options.learnFromMs)) {
      profile.eventCount++;
      profile.notePod(pod);
      return;
    }
    profile.learn(features, eventId, pod);
  }
}
