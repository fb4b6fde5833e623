// Derives the engine's outputs (execution graph, stories, AI-BOM) from the very events being exported: the event
// stream is teed into the engine in batches while the bundle writer consumes it, so the events are read once.
// Outputs the case already holds (written by the engine earlier) are kept as they are. Generated policies and their
// replays are not derived here: the engine exposes no policy generator yet, so the bundle notes their absence.
//
// In the bundled CLI the engine runs in a worker thread, fed with the events' JSON text, so deriving (the larger
// half of the work) overlaps with validating, redacting, hashing and compressing on the main thread. At most a few
// batches are in flight: the writer waits for the engine rather than queueing the whole case in memory. From source
// (tests, tsx) a worker cannot load TypeScript, so the engine runs in the same thread, with the same results.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { buildAiBom } from '../../shared/engine/aibom.js';
import { Engine } from '../../shared/engine/engine.js';
import type { RuntimeEvent } from '../../shared/model/event.js';
import type { InventorySnapshot } from '../../shared/model/inventory.js';
import { storyToJson } from '../../shared/model/story.js';
import { VIGIL_VERSION } from '../version.js';
import type { EngineOutputs, EventRecord, EvidenceContent } from './evidence-content.js';

const BATCH = 2_000;
/** Batches the writer may run ahead of the engine worker. */
const IN_FLIGHT = 8;
const WORKER_MARK = 'vigil-evidence-engine';

type Derived = Required<Pick<EngineOutputs, 'graph' | 'stories' | 'aibom'>>;

function outputsOf(engine: Engine, lastTime: string | null): Derived {
  return {
    graph: engine.graphSnapshot(),
    stories: engine.storyList().map(storyToJson),
    aibom: buildAiBom(engine.aiUsage, { toolVersion: VIGIL_VERSION, asOf: lastTime }),
  };
}

/** One engine fed from the events as they stream past. */
interface Deriver {
  add(batch: EventRecord[]): Promise<void>;
  finish(): Promise<Derived>;
  /** Stops without outputs (the export failed or stopped reading): a worker must not keep the process alive. */
  abandon(): Promise<void>;
}

function inThreadDeriver(inventory: InventorySnapshot[]): Deriver {
  const engine = new Engine();
  engine.setInventory(inventory);
  let lastTime: string | null = null;
  return {
    async add(batch) {
      const events: RuntimeEvent[] = batch.map((r) => r.event);
      for (const event of events) if (lastTime === null || event.time > lastTime) lastTime = event.time;
      engine.ingest(events);
    },
    async finish() {
      engine.flush();
      return outputsOf(engine, lastTime);
    },
    async abandon() {},
  };
}

type ToWorker = { lines: string[] } | { end: true };
type FromWorker = { ack: true } | { outputs: Derived } | { error: string };

function workerDeriver(moduleFile: string, inventory: InventorySnapshot[]): Deriver {
  const worker = new Worker(moduleFile, { workerData: { [WORKER_MARK]: true, inventory }, stdout: true, stderr: true });
  let inFlight = 0;
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  let done: ((outputs: Derived) => void) | null = null;
  const result = new Promise<Derived>((resolve, reject) => {
    done = resolve;
    worker.once('error', (error) => reject((failure = new Error(`the engine worker failed: ${error.message}`))));
    worker.once('exit', (code) => reject((failure ??= new Error(`the engine worker stopped (exit code ${code}) before deriving the stories`))));
  });
  result.catch(() => wake?.());
  worker.on('message', (message: FromWorker) => {
    if ('ack' in message) {
      inFlight--;
      wake?.();
    } else if ('outputs' in message) done?.(message.outputs);
    else {
      failure = new Error(`the engine failed while deriving the stories: ${message.error}`);
      wake?.();
    }
  });
  return {
    async add(batch) {
      if (failure) throw failure;
      worker.postMessage({ lines: batch.map((r) => r.text ?? JSON.stringify(r.event)) } satisfies ToWorker);
      inFlight++;
      while (inFlight > IN_FLIGHT && !failure) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) throw failure;
    },
    async finish() {
      worker.postMessage({ end: true } satisfies ToWorker);
      try {
        return await result;
      } finally {
        await worker.terminate();
      }
    },
    async abandon() {
      result.catch(() => undefined);
      await worker.terminate();
    },
  };
}

/** The worker's side: lines in (already validated by the exporter), one ack per batch, the outputs at the end. */
function serveAsWorker(): void {
  const engine = new Engine();
  engine.setInventory((workerData as { inventory: InventorySnapshot[] }).inventory);
  let lastTime: string | null = null;
  parentPort!.on('message', (message: ToWorker) => {
    try {
      if ('lines' in message) {
        const events = message.lines.map((line) => JSON.parse(line) as RuntimeEvent);
        for (const event of events) if (lastTime === null || event.time > lastTime) lastTime = event.time;
        engine.ingest(events);
        parentPort!.postMessage({ ack: true } satisfies FromWorker);
      } else {
        engine.flush();
        parentPort!.postMessage({ outputs: outputsOf(engine, lastTime) } satisfies FromWorker);
      }
    } catch (error) {
      parentPort!.postMessage({ error: (error as Error).message } satisfies FromWorker);
    }
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_MARK]) serveAsWorker();

/** This module as a file a worker can load: only the bundled JavaScript, not the TypeScript source. */
function bundledModuleFile(): string | null {
  const url = import.meta.url;
  return url.startsWith('file:') && /\.m?js$/.test(url) && process.env.VIGIL_ENGINE_WORKER !== '0' ? fileURLToPath(url) : null;
}

export function withEngineDerivation(content: EvidenceContent): EvidenceContent {
  let derived: Derived | null = null;
  const given = content.engine;
  async function* teed(): AsyncGenerator<EventRecord> {
    const moduleFile = bundledModuleFile();
    const deriver = moduleFile ? workerDeriver(moduleFile, content.inventory) : inThreadDeriver(content.inventory);
    let batch: EventRecord[] = [];
    let finished = false;
    try {
      for await (const record of content.events()) {
        batch.push(record);
        if (batch.length >= BATCH) {
          await deriver.add(batch);
          batch = [];
        }
        yield record;
      }
      await deriver.add(batch);
      finished = true;
      derived = await deriver.finish();
    } finally {
      if (!finished) await deriver.abandon();
    }
  }
  const derive = (): EngineOutputs => {
    if (!derived) throw new Error('engine outputs were asked for before the events were read');
    const resolvedGiven = typeof given === 'function' ? given() : given;
    return {
      graph: resolvedGiven.graph ?? derived.graph,
      stories: resolvedGiven.stories ?? derived.stories,
      aibom: resolvedGiven.aibom ?? derived.aibom,
      ...(resolvedGiven.policies ? { policies: resolvedGiven.policies } : {}),
      ...(resolvedGiven.replays ? { replays: resolvedGiven.replays } : {}),
    };
  };
  return { ...content, events: teed, engine: derive };
}
