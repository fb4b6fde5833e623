// Derives the engine's outputs (execution graph, stories, AI-BOM) from the very events being exported: the event
// stream is teed into the engine in batches while the bundle writer consumes it, so the events are read once.
// Outputs the case already holds (written by the engine earlier) are kept as they are. Generated policies and their
// replays are not derived here: the engine exposes no policy generator yet, so the bundle notes their absence.
import { buildAiBom } from '../../shared/engine/aibom.js';
import { Engine } from '../../shared/engine/engine.js';
import type { RuntimeEvent } from '../../shared/model/event.js';
import { storyToJson } from '../../shared/model/story.js';
import { VIGIL_VERSION } from '../version.js';
import type { EngineOutputs, EventRecord, EvidenceContent } from './evidence-content.js';

const BATCH = 2_000;

export function withEngineDerivation(content: EvidenceContent): EvidenceContent {
  const engine = new Engine();
  engine.setInventory(content.inventory);
  let lastTime: string | null = null;
  let consumed = false;
  const given = content.engine;
  async function* teed(): AsyncGenerator<EventRecord> {
    let batch: RuntimeEvent[] = [];
    for await (const record of content.events()) {
      const event = record.event;
      batch.push(event);
      if (lastTime === null || event.time > lastTime) lastTime = event.time;
      if (batch.length >= BATCH) {
        engine.ingest(batch);
        batch = [];
      }
      yield record;
    }
    engine.ingest(batch);
    engine.flush();
    consumed = true;
  }
  const derive = (): EngineOutputs => {
    if (!consumed) throw new Error('engine outputs were asked for before the events were read');
    const resolvedGiven = typeof given === 'function' ? given() : given;
    return {
      graph: resolvedGiven.graph ?? engine.graphSnapshot(),
      stories: resolvedGiven.stories ?? engine.storyList().map(storyToJson),
      aibom: resolvedGiven.aibom ?? buildAiBom(engine.aiUsage, { toolVersion: VIGIL_VERSION, asOf: lastTime }),
      ...(resolvedGiven.policies ? { policies: resolvedGiven.policies } : {}),
      ...(resolvedGiven.replays ? { replays: resolvedGiven.replays } : {}),
    };
  };
  return { ...content, events: teed, engine: derive };
}
