// Runs a loaded case through the engine: inventory first, then every event, then the reordering window drained.
import { Engine, type EngineOptions } from '../../shared/engine/engine.js';
import type { LoadedCase } from './load-case.js';
import { VIGIL_VERSION } from '../version.js';

export function analyzeCase(loaded: Pick<LoadedCase, 'events' | 'inventory'>, options: EngineOptions = {}): Engine {
  const engine = new Engine({ toolVersion: VIGIL_VERSION, ...options });
  engine.setInventory(loaded.inventory);
  engine.ingest(loaded.events);
  engine.flush();
  return engine;
}
