// Golden output of the engine: every recorded scenario after baseline-traffic, plus a longer bench-shaped mix (many
// time-shifted copies of the baseline with attacks in it, where caches, id caps and long-lived state matter), each
// reduced to one fingerprint per section: graph, signals, stories, baselines, AI-BOM, posture, the deltas streamed
// while ingesting, and every generated policy with its audit replay. Speed work must leave every fingerprint as it
// is; a change here means the engine's output changed, and the failing section says where.
import { describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../model/event.js';
import { storyToJson } from '../model/story.js';
import { Engine, type EngineDelta } from './engine.js';
import { BASELINE_MINUTES, SCENARIOS, baselineTraffic, agentEscapeAttempt, cryptominer, indirectPromptInjectionExfil, mcpToolMisuse } from '../../test/fixtures/events/lab-scenarios.js';
import { labInventory } from '../../test/fixtures/events/inventory-fixture.js';
import { rfc3339 } from '../../test/fixtures/events/event-recorder.js';
import { eventTimeMs } from './event-time.js';
import { fnv1a32 } from './stable-hash.js';
import type { PolicyKind } from '../model/policy.js';

const POLICY_KINDS_FOR_GOLDEN: PolicyKind[] = ['networkpolicy', 'seccomp', 'rbac'];

/** 64 bits of FNV-1a over the text and its length: enough to notice any change, short enough to read. */
function fingerprint(value: unknown): string {
  const text = JSON.stringify(value);
  return `${fnv1a32(text).toString(16).padStart(8, '0')}${fnv1a32(text, 0x1b873593).toString(16).padStart(8, '0')}:${text.length}`;
}

/** A replay's result, or the reason it refused the policy (an RBAC policy without bindings): both are output. */
function replayOrReason(engine: Engine, documents: unknown[], pod?: string): unknown {
  try {
    return engine.replayPolicy(documents, pod);
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

function outputOf(events: readonly RuntimeEvent[], batch: number): Record<string, string> {
  const engine = new Engine();
  engine.setInventory(labInventory());
  const deltas: EngineDelta[] = [];
  for (let i = 0; i < events.length; i += batch) deltas.push(engine.ingest(events.slice(i, i + batch)));
  deltas.push(engine.flush());
  const snapshot = engine.snapshot();
  const policies: unknown[] = [];
  for (const baseline of snapshot.baselines) {
    const pods = engine.inventoryIndex.pods().filter((p) => p.workload === baseline.workload).map((p) => `${p.namespace}/${p.name}`).sort();
    for (const pod of pods.slice(0, 1)) {
      for (const kind of POLICY_KINDS_FOR_GOLDEN) {
        const policy = engine.generatePolicy(pod, kind);
        const replayed = [replayOrReason(engine, policy.objects)];
        if (policy.seccomp) replayed.push(replayOrReason(engine, [policy.seccomp], pod));
        policies.push({ policy, replayed });
      }
    }
  }
  return {
    stats: JSON.stringify(snapshot.stats),
    graph: fingerprint(snapshot.graph),
    signals: fingerprint(snapshot.signals),
    stories: fingerprint(snapshot.stories),
    storiesJson: fingerprint(engine.storyList().map(storyToJson)),
    baselines: fingerprint(snapshot.baselines),
    aibom: fingerprint(snapshot.aibom),
    posture: fingerprint(snapshot.posture),
    deltas: fingerprint(deltas),
    policies: fingerprint(policies),
    policyCount: String(policies.length),
  };
}

function shifted(events: readonly RuntimeEvent[], offsetMs: number, tag: string): RuntimeEvent[] {
  return events.map((e) => ({ ...e, id: `${e.id}/${tag}`, time: rfc3339(eventTimeMs(e.time) + offsetMs) }) as RuntimeEvent);
}

/** The benchmark's mix at a smaller size: 40-minute copies of the baseline, an attack in every fifth copy. */
function longMix(copies: number): RuntimeEvent[] {
  const chunk = baselineTraffic();
  const attacks = [indirectPromptInjectionExfil, mcpToolMisuse, agentEscapeAttempt, cryptominer];
  const out: RuntimeEvent[] = [];
  for (let n = 0; n < copies; n++) {
    const offset = n * BASELINE_MINUTES * 60_000;
    let events = shifted(chunk, offset, `c${n}`);
    if (n > 2 && n % 5 === 0) {
      const attack = shifted(attacks[(n / 5) % attacks.length]!(Date.parse('2026-11-20T10:20:00Z') + offset), 0, `a${n}`);
      events = events.concat(attack).sort((a, b) => eventTimeMs(a.time) - eventTimeMs(b.time) || (a.id < b.id ? -1 : 1));
    }
    out.push(...events);
  }
  return out;
}

describe('engine golden output', () => {
  const baseline = baselineTraffic();
  for (const scenario of SCENARIOS) {
    it(`${scenario.name} after baseline-traffic`, () => {
      const events = scenario.name === 'baseline-traffic' ? baseline : [...baseline, ...scenario.events()];
      expect(outputOf(events, 500)).toMatchSnapshot();
    });
  }
  it('a long bench-shaped mix (21 baseline copies, four attacks)', () => {
    expect(outputOf(longMix(21), 1_000)).toMatchSnapshot();
  });
});
