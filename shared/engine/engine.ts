// The engine facade: events in (any order within the reordering window), graph, signals, stories, baselines,
// AI-BOM, posture and policies out. Pure and deterministic: no I/O, no clock, no randomness. Runs in Node (CLI) and
// in a Web Worker (workbench); `ingest` returns a cheap delta of ids so a view re-renders only what changed.
import type { RuntimeEvent } from '../model/event.js';
import type { InventorySnapshot } from '../model/inventory.js';
import type { WorkloadBaseline } from '../model/baseline.js';
import type { ExecutionGraph, GraphDelta } from '../model/graph.js';
import type { Signal } from '../model/signal.js';
import type { Story } from '../model/story.js';
import { BaselineLearner, type WorkloadProfile } from './baseline-learner.js';
import { featuresOf } from './behaviour-features.js';
import type { Detector, DetectorContext } from './detectors/detector.js';
import { AgentEscapeDetector } from './detectors/agent-escape.js';
import { CredentialAccessDetector } from './detectors/credential-access.js';
import { EnforcementBlockDetector } from './detectors/enforcement-block.js';
import { CryptominingDetector } from './detectors/cryptomining.js';
import { DriftDetector } from './detectors/drift.js';
import { ExfiltrationDetector } from './detectors/exfiltration.js';
import { PromptInjectionDetector } from './detectors/prompt-injection.js';
import { ShadowAiDetector } from './detectors/shadow-ai.js';
import { ToolMisuseDetector } from './detectors/tool-misuse.js';
import { GraphBuilder, DEFAULT_MAX_EVENT_IDS_PER_EDGE } from './graph-builder.js';
import { InventoryIndex } from './inventory-index.js';
import { NameBook } from './name-book.js';
import { ObservationResolver, type Observation } from './observation.js';
import { ProcessTable } from './process-table.js';
import { ReorderBuffer, type TimedEvent } from './reorder-buffer.js';
import { SignalStore, type SignalDraft } from './signal-store.js';
import { StoryCorrelator } from './story-correlator.js';
import { AiUsageLedger } from './ai-usage-ledger.js';
import { buildAiBom, type CycloneDxBom } from './aibom.js';
import type { GeneratedPolicy, PolicyKind, ReplayResult } from '../model/policy.js';
import type { WorkloadPosture } from '../model/workload-posture.js';
import { computePosture } from './posture.js';
import { resolveTarget } from './policy-target.js';
import { generateNetworkPolicy } from './networkpolicy-generator.js';
import { generateSeccomp } from './seccomp-generator.js';
import { generateRbac } from './rbac-generator.js';
import { classifyPolicy, replay } from './policy-replay.js';
import { workloadNameFromPodName } from './inventory-index.js';
import { eventTimeMs } from './event-time.js';

export interface EngineOptions {
  /** Event-time window within which arrival order does not change the output. Default 2 s. */
  reorderWindowMs?: number;
  /** How long each workload's baseline learns, in event time. Default 30 min. */
  learningWindowMs?: number;
  /** Fewest events before a baseline may become ready. Default 20. */
  minBaselineEvents?: number;
  /** RFC 3339: every baseline learns until this event time (overrides the per-workload window). */
  learnUntil?: string;
  /** RFC 3339, with learnUntil: events before this time are not learned (the benign period's start). */
  learnFrom?: string;
  /** Largest gap between correlated signals. Default 30 min. */
  correlationWindowMs?: number;
  maxEventIdsPerEdge?: number;
  /** Version written into the AI-BOM's tool metadata. */
  toolVersion?: string;
}

export interface EngineDelta {
  eventsProcessed: number;
  graph: GraphDelta;
  signalIds: string[];
  /** Stories created or changed. */
  storyIds: string[];
  /**
   * Stories absorbed by a merge into an older story (the merged story keeps the id of the oldest story in it, so
   * these are always the younger ones). Story ids never change otherwise.
   */
  removedStoryIds: string[];
  /** For each id in `removedStoryIds`: the id of the story that now holds its steps. Present only when non-empty. */
  mergedInto?: Record<string, string>;
}

export interface EngineStats {
  eventsIngested: number;
  eventsProcessed: number;
  eventsHeld: number;
  lateEvents: number;
  invalidTimes: number;
  unattributedEvents: number;
}

export interface EngineSnapshot {
  stats: EngineStats;
  graph: ExecutionGraph;
  signals: Signal[];
  stories: Story[];
  baselines: WorkloadBaseline[];
  aibom: CycloneDxBom;
  posture: WorkloadPosture[];
}

export const KUBERNETES_SERVICE_IP_DEFAULT = '10.96.0.1';

/** The event kinds audit replay judges (policy-replay.ts): network policies, seccomp profiles, RBAC. */
/** What the engine does with one event kind: the detectors that look at it, whether replay keeps it. */
interface KindHandling {
  detectors: Detector[];
  replayed: boolean;
}

export const REPLAYED_KINDS: ReadonlySet<RuntimeEvent['kind']> = new Set(['net.connect', 'net.accept', 'dns.query', 'syscall.first', 'k8s.audit']);

export class Engine {
  readonly options: Required<Omit<EngineOptions, 'learnUntil' | 'learnFrom'>> & Pick<EngineOptions, 'learnUntil' | 'learnFrom'>;
  private inventory = new InventoryIndex([]);
  private readonly processes = new ProcessTable();
  private readonly resolver: ObservationResolver;
  private readonly names: NameBook;
  private readonly buffer: ReorderBuffer;
  private readonly baselines: BaselineLearner;
  private readonly graph: GraphBuilder;
  private readonly signals = new SignalStore();
  private readonly correlator: StoryCorrelator;
  private readonly detectors: Detector[];
  /** The detectors that look at each event kind, in the order of `detectors` (signals are raised in that order). */
  private readonly byKind = new Map<string, KindHandling>();
  private readonly detectorContext: DetectorContext;
  private readonly emit = (draft: SignalDraft): void => {
    const { signal } = this.signals.upsert(draft);
    this.pendingSignalIds.add(signal.id);
    this.correlator.add(signal);
  };
  readonly aiUsage = new AiUsageLedger();
  private readonly stories = new Map<string, Story>();
  private kubeApiIp: string | null = KUBERNETES_SERVICE_IP_DEFAULT;
  private listeners: ((delta: EngineDelta) => void)[] = [];
  private pendingSignalIds = new Set<string>();
  private readonly peerName = (ip: string) => this.names.workloadAt(ip);
  private readonly addressName = (ip: string) => this.names.dnsNameOf(ip);
  private stats: EngineStats = { eventsIngested: 0, eventsProcessed: 0, eventsHeld: 0, lateEvents: 0, invalidTimes: 0, unattributedEvents: 0 };
  /**
   * The processed events audit replay reads (REPLAYED_KINDS), in processing order. Only those: the others (half of
   * a typical stream: connection closes, LLM traffic, DNS answers) would stay in memory for nothing.
   */
  private readonly history: RuntimeEvent[] = [];
  /** The latest event time processed (the AI-BOM's "as of"). */
  private lastEventTime: string | null = null;

  constructor(options: EngineOptions = {}) {
    this.options = {
      reorderWindowMs: options.reorderWindowMs ?? 2_000,
      learningWindowMs: options.learningWindowMs ?? 30 * 60_000,
      minBaselineEvents: options.minBaselineEvents ?? 20,
      correlationWindowMs: options.correlationWindowMs ?? 30 * 60_000,
      maxEventIdsPerEdge: options.maxEventIdsPerEdge ?? DEFAULT_MAX_EVENT_IDS_PER_EDGE,
      toolVersion: options.toolVersion ?? '0.0.0',
      learnUntil: options.learnUntil,
      learnFrom: options.learnFrom,
    };
    this.resolver = new ObservationResolver(this.inventory, this.processes);
    this.names = new NameBook(this.inventory);
    this.buffer = new ReorderBuffer(this.options.reorderWindowMs);
    const learnUntilMs = options.learnUntil === undefined ? undefined : eventTimeMs(options.learnUntil);
    if (learnUntilMs !== undefined && Number.isNaN(learnUntilMs)) throw new RangeError(`learnUntil '${options.learnUntil}' is not an RFC 3339 time`);
    const learnFromMs = options.learnFrom === undefined ? undefined : eventTimeMs(options.learnFrom);
    if (learnFromMs !== undefined && (Number.isNaN(learnFromMs) || learnUntilMs === undefined)) throw new RangeError(`learnFrom '${options.learnFrom}' needs an RFC 3339 time and learnUntil`);
    this.baselines = new BaselineLearner({ learningWindowMs: this.options.learningWindowMs, minEvents: this.options.minBaselineEvents, learnUntilMs, learnFromMs });
    this.graph = new GraphBuilder(this.names, this.options.maxEventIdsPerEdge);
    this.correlator = new StoryCorrelator({ windowMs: this.options.correlationWindowMs });
    this.detectors = [
      new PromptInjectionDetector(),
      new ToolMisuseDetector(),
      new AgentEscapeDetector(),
      new CredentialAccessDetector(),
      new ExfiltrationDetector(),
      new ShadowAiDetector(),
      new DriftDetector(),
      new CryptominingDetector(),
      new EnforcementBlockDetector(),
    ];
    this.detectorContext = { o: null as unknown as Observation, features: [], profile: null, ready: false, names: this.names, inventory: this.inventory };
  }

  /** Replaces the inventory. Set it before ingesting: events already processed keep what was resolved then. */
  setInventory(snapshots: readonly InventorySnapshot[]): void {
    this.inventory = new InventoryIndex(snapshots);
    this.resolver.setInventory(this.inventory);
    this.names.setInventory(this.inventory);
    const kubernetes = this.inventory.services.find((s) => s.namespace === 'default' && s.name === 'kubernetes');
    this.kubeApiIp = kubernetes?.clusterIp ?? KUBERNETES_SERVICE_IP_DEFAULT;
  }

  get inventoryIndex(): InventoryIndex {
    return this.inventory;
  }

  onChange(listener: (delta: EngineDelta) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Takes events in any order; processes those the reordering window releases. */
  ingest(events: readonly RuntimeEvent[]): EngineDelta {
    this.stats.eventsIngested += events.length;
    return this.process(this.buffer.push(events));
  }

  /** Processes everything still held by the reordering window (end of a recorded case). */
  flush(): EngineDelta {
    return this.process(this.buffer.drain());
  }

  snapshot(): EngineSnapshot {
    return {
      stats: this.currentStats(),
      graph: this.graph.snapshot(),
      signals: this.signals.all().map((s) => structuredCloneSignal(s)),
      stories: this.storyList(),
      baselines: this.baselines.all().map((p) => p.toJSON()),
      aibom: this.aibom(),
      posture: this.posture(),
    };
  }

  /** The runtime AI-BOM (CycloneDX 1.6) of everything processed so far. */
  aibom(): CycloneDxBom {
    return buildAiBom(this.aiUsage, { toolVersion: this.options.toolVersion, asOf: this.lastEventTime });
  }

  /** Declared vs observed and blast radius for every workload with a baseline (or one workload). */
  posture(workload?: string): WorkloadPosture[] {
    return this.baselines.all().filter((p) => workload === undefined || p.workload === workload).map((p) => computePosture(p, this.inventory));
  }

  /** A policy for `namespace/pod` generated from its workload's learned baseline. Throws PolicyTargetError. */
  generatePolicy(podKey: string, kind: PolicyKind): GeneratedPolicy {
    const target = resolveTarget(podKey, this.inventory, (w) => this.baselines.get(w));
    if (kind === 'networkpolicy') return generateNetworkPolicy(target, this.inventory);
    if (kind === 'seccomp') return generateSeccomp(target);
    return generateRbac(target);
  }

  /**
   * Replays a proposed policy (parsed YAML/JSON documents) over every processed event. A plain seccomp JSON names
   * no workload: pass the target pod. Throws ReplayInputError on a policy it cannot judge.
   */
  replayPolicy(documents: unknown[], seccompTargetPod?: string): ReplayResult {
    const policy = classifyPolicy(documents);
    let workload: string | undefined;
    if (seccompTargetPod) {
      const [namespace, name] = seccompTargetPod.split('/');
      workload = this.inventory.pod(seccompTargetPod)?.workload ?? `${namespace}/${workloadNameFromPodName(name ?? '')}`;
    }
    return replay(policy, this.history, this.inventory, workload);
  }

  storyList(): Story[] {
    return [...this.stories.values()].sort((a, b) => (a.firstSeen !== b.firstSeen ? (a.firstSeen < b.firstSeen ? -1 : 1) : a.id < b.id ? -1 : 1));
  }

  story(id: string): Story | undefined {
    return this.stories.get(id);
  }

  signalList(): Signal[] {
    return this.signals.all();
  }

  graphSnapshot(): ExecutionGraph {
    return this.graph.snapshot();
  }

  baselineOf(workload: string): WorkloadProfile | undefined {
    return this.baselines.get(workload);
  }

  baselineList(): WorkloadProfile[] {
    return this.baselines.all();
  }

  /** The processed events audit replay reads (REPLAYED_KINDS), in processing order: pass them to the replay functions. */
  recordedEvents(): readonly RuntimeEvent[] {
    return this.history;
  }

  currentStats(): EngineStats {
    return { ...this.stats, eventsHeld: this.buffer.held, lateEvents: this.buffer.lateEvents, invalidTimes: this.buffer.invalidTimes };
  }

  private handlingOf(kind: RuntimeEvent['kind']): KindHandling {
    const handling = { detectors: this.detectors.filter((d) => d.kinds.includes(kind)), replayed: REPLAYED_KINDS.has(kind) };
    this.byKind.set(kind, handling);
    return handling;
  }

  private process(released: TimedEvent[]): EngineDelta {
    // One context object, refilled per event: no detector keeps it beyond its onEvent call.
    const ctx = this.detectorContext;
    for (let i = 0; i < released.length; i++) {
      const { event, timeMs } = released[i]!;
      const o = this.resolver.resolve(event, timeMs);
      const handling = this.byKind.get(event.kind) ?? this.handlingOf(event.kind);
      if (handling.replayed) this.history.push(event);
      if (this.lastEventTime === null || event.time > this.lastEventTime) this.lastEventTime = event.time;
      this.stats.eventsProcessed++;
      if (!o.workload && event.kind !== 'k8s.audit') this.stats.unattributedEvents++;
      this.names.observe(o);
      this.aiUsage.observe(o);
      const features = featuresOf(o, this.peerName, this.addressName);
      const profile = o.workload ? this.baselines.profileFor(o.workload, timeMs) : null;
      const ready = profile ? profile.isReady(timeMs) : false;
      const detectors = handling.detectors;
      if (detectors.length > 0) {
        ctx.o = o;
        ctx.features = features;
        ctx.profile = profile;
        ctx.ready = ready;
        ctx.inventory = this.inventory;
        for (let d = 0; d < detectors.length; d++) detectors[d]!.onEvent(ctx, this.emit);
      }
      // Exec sessions (kubectl exec) are operators at work, not the application: baselines do not learn from them.
      if (profile && !o.process?.execSession) this.baselines.observe(profile, features, event.id, o.pod, timeMs);
      this.graph.add(o, this.kubeApiIp);
    }
    return this.publish(released.length);
  }

  private publish(eventsProcessed: number): EngineDelta {
    const storyIds: string[] = [];
    // Only stories a consumer saw are reported absorbed: one born and merged within this batch was never published.
    const merged = new Map([...this.correlator.takeMergedStoryIds()].filter(([absorbed]) => this.stories.has(absorbed)));
    for (const absorbed of merged.keys()) this.stories.delete(absorbed);
    for (const root of this.correlator.takeChangedRoots()) {
      const story = this.correlator.storyOf(root);
      if (!story) continue;
      this.stories.set(story.id, story);
      storyIds.push(story.id);
    }
    const delta: EngineDelta = {
      eventsProcessed,
      graph: this.graph.takeDelta(),
      signalIds: [...this.pendingSignalIds].sort(),
      storyIds: storyIds.sort(),
      removedStoryIds: [...merged.keys()].sort(),
    };
    if (merged.size > 0) delta.mergedInto = Object.fromEntries([...merged].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    this.pendingSignalIds = new Set();
    if (eventsProcessed > 0) for (const listener of this.listeners) listener(delta);
    return delta;
  }
}

function structuredCloneSignal(s: Signal): Signal {
  return { ...s, techniques: s.techniques.map((t) => ({ ...t })), eventIds: [...s.eventIds], entities: s.entities.map((e) => ({ ...e })), correlationKeys: [...s.correlationKeys] };
}

export type { Observation };
