// Scenario tests over the lab-shaped fixtures: after baseline-traffic is learned, each attack yields exactly one story
// with the expected steps and techniques; benign scenarios yield nothing above low; arrival order within the
// reordering window does not change a byte of the output.
import { describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../model/event.js';
import { storyToJson } from '../model/story.js';
import { Engine } from './engine.js';
import { SCENARIOS, baselineTraffic } from '../../test/fixtures/events/lab-scenarios.js';
import { labInventory } from '../../test/fixtures/events/inventory-fixture.js';
import { eventTimeMs } from './event-time.js';
import { SCENARIOS as LAB_SCENARIOS } from '../../test/lab/scenarios/scenario-registry.js';

const baseline = baselineTraffic();

function run(events: readonly RuntimeEvent[], batch = 500): Engine {
  const engine = new Engine();
  engine.setInventory(labInventory());
  for (let i = 0; i < events.length; i += batch) engine.ingest(events.slice(i, i + batch));
  engine.flush();
  return engine;
}

/** Reorders events the way per-CPU buffers and several nodes do: each event delayed by up to `maxDelayMs`. */
function shuffleWithinWindow(events: readonly RuntimeEvent[], maxDelayMs: number, seed: number): RuntimeEvent[] {
  let state = seed;
  const jitter = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state / 2 ** 32) * maxDelayMs;
  };
  return events.map((e) => ({ e, arrival: eventTimeMs(e.time) + jitter() })).sort((a, b) => a.arrival - b.arrival).map((x) => x.e);
}

describe('baseline-traffic', () => {
  it('learns every workload to ready and raises nothing', () => {
    const engine = run(baseline);
    const snapshot = engine.snapshot();
    expect(snapshot.signals).toEqual([]);
    expect(snapshot.stories).toEqual([]);
    const states = Object.fromEntries(snapshot.baselines.map((b) => [b.workload, b.state]));
    expect(states['agents/research-agent']).toBe('ready');
    expect(states['agents/support-agent']).toBe('ready');
    expect(states['mcp/mcp-files']).toBe('ready');
    const research = snapshot.baselines.find((b) => b.workload === 'agents/research-agent')!;
    expect(research.egress).toContain('tcp:docs.partner.example:443');
    expect(research.egress.some((e) => /:\d{5}$/.test(e) && !e.endsWith(':443'))).toBe(false);
    expect(research.files).toContain('/data/reports/*');
  });
});

for (const scenario of SCENARIOS.filter((s) => s.name !== 'baseline-traffic')) {
  describe(scenario.name, () => {
    const events = [...baseline, ...scenario.events()];
    if (scenario.tag === 'attack') {
      it('yields exactly one story with the expected steps, techniques and entities', () => {
        const stories = run(events).storyList();
        expect(stories).toHaveLength(1);
        const story = stories[0]!;
        expect(story.steps.map((s) => `${s.detector}/${s.signalId.split(':')[2]}`)).toEqual(scenario.steps);
        expect(story.techniques).toEqual(scenario.techniques);
        const entityIds = story.entities.map((e) => e.id);
        for (const id of scenario.entities) expect(entityIds).toContain(id);
        for (const step of story.steps) expect(step.eventIds.length).toBeGreaterThan(0);
        expect(story.narrative.split('\n')).toHaveLength(story.steps.length + 1);
      });
      it('covers every ATT&CK technique the lab scenario description expects', () => {
        const lab = LAB_SCENARIOS.find((s) => s.description.name === scenario.name);
        expect(lab, `lab scenario ${scenario.name}`).toBeDefined();
        const story = run(events).storyList()[0]!;
        for (const id of lab!.description.expected.techniques.mitreAttack) expect(story.techniques).toContain(id);
      });
    } else {
      it('yields no story and no signal above low severity', () => {
        const engine = run(events);
        expect(engine.storyList()).toEqual([]);
        expect(engine.signalList().filter((s) => s.severity !== 'low' && s.severity !== 'info')).toEqual([]);
      });
    }
    it('gives byte-identical output whatever the arrival order within the reordering window', () => {
      const inOrder = JSON.stringify(run(events).snapshot());
      const shuffled = shuffleWithinWindow(events, 1_900, 42);
      expect(shuffled.map((e) => e.id)).not.toEqual(events.map((e) => e.id));
      const engine = run(shuffled, 37);
      expect(engine.currentStats().lateEvents).toBe(0);
      expect(JSON.stringify(engine.snapshot())).toBe(inOrder);
      expect(JSON.stringify(engine.storyList().map(storyToJson))).toBe(JSON.stringify(run(events).storyList().map(storyToJson)));
    });
  });
}

describe('streaming', () => {
  it('updates the story as attack events arrive and reports it in the delta', () => {
    const engine = new Engine();
    engine.setInventory(labInventory());
    engine.ingest(baseline);
    const attack = SCENARIOS.find((s) => s.name === 'indirect-prompt-injection-exfil')!.events();
    const changed = new Set<string>();
    engine.onChange((delta) => delta.storyIds.forEach((id) => changed.add(id)));
    for (const event of attack) engine.ingest([event]);
    engine.flush();
    const [story] = engine.storyList();
    expect(story).toBeDefined();
    expect(changed.has(story!.id)).toBe(true);
  });
});
