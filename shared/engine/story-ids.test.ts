// Story ids stay put: a story keeps the id it was born with while it grows, and when stories merge the merged story
// keeps the id of the oldest one; the absorbed ids are reported in the delta with the id that now holds them.
import { describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../model/event.js';
import type { Severity, Signal } from '../model/signal.js';
import { Engine, type EngineDelta } from './engine.js';
import { StoryCorrelator, storyIdOf } from './story-correlator.js';

function signal(id: string, time: string, severity: Severity, correlationKeys: string[]): Signal {
  return { id, detector: 'agent-escape', rule: 'test', severity, confidence: 0.8, time, workload: 'ns/w', pod: 'ns/w-1', techniques: [], summary: id, explanation: '', eventIds: [`${id}/e`], entities: [], correlationKeys };
}

describe('StoryCorrelator story ids', () => {
  it('keeps the id of the story born first when a younger story merges in, whatever the roots or times', () => {
    const correlator = new StoryCorrelator({ windowMs: 30 * 60_000 });
    // Born first, though its finding carries the later time and the larger id (a download-and-exec step is dated at
    // its download, which can precede findings already raised elsewhere).
    const older = signal('sig:z:older', '2026-11-20T10:05:00Z', 'high', ['pod:ns/a']);
    const younger = signal('sig:a:younger', '2026-11-20T10:01:00Z', 'medium', ['pod:ns/b']);
    correlator.add(older);
    correlator.add(younger);
    const bridge = signal('sig:m:bridge', '2026-11-20T10:06:00Z', 'low', ['pod:ns/a', 'pod:ns/b']);
    correlator.add(bridge);
    const [root] = correlator.takeChangedRoots();
    const story = correlator.storyOf(root!)!;
    expect(story.id).toBe(storyIdOf(older.id));
    expect(story.signalIds).toEqual([younger.id, older.id, bridge.id]);
    expect(correlator.takeMergedStoryIds()).toEqual(new Map([[storyIdOf(younger.id), storyIdOf(older.id)]]));
    expect(correlator.takeMergedStoryIds().size).toBe(0);
  });

  it('keeps a story id when an earlier signal of the story later rises to medium', () => {
    const correlator = new StoryCorrelator({ windowMs: 30 * 60_000 });
    const early = signal('sig:a:early', '2026-11-20T10:00:00Z', 'low', ['pod:ns/a']);
    const finding = signal('sig:b:finding', '2026-11-20T10:02:00Z', 'medium', ['pod:ns/a']);
    correlator.add(early);
    correlator.add(finding);
    const root = correlator.rootOf(finding.id);
    expect(correlator.storyOf(root)!.id).toBe(storyIdOf(finding.id));
    early.severity = 'high'; // the signal store extends signals in place
    correlator.add(early);
    const story = correlator.storyOf(root)!;
    expect(story.steps.map((s) => s.signalId)).toEqual([early.id, finding.id]);
    expect(story.id).toBe(storyIdOf(finding.id));
  });

  it('follows merges of merges to the surviving id', () => {
    const correlator = new StoryCorrelator({ windowMs: 30 * 60_000 });
    const a = signal('sig:c:a', '2026-11-20T10:00:00Z', 'medium', ['pod:ns/a']);
    const b = signal('sig:b:b', '2026-11-20T10:01:00Z', 'medium', ['pod:ns/b']);
    const c = signal('sig:a:c', '2026-11-20T10:02:00Z', 'medium', ['pod:ns/c']);
    for (const s of [a, b, c]) correlator.add(s);
    correlator.add(signal('sig:x:bc', '2026-11-20T10:03:00Z', 'low', ['pod:ns/b', 'pod:ns/c']));
    correlator.add(signal('sig:x:ab', '2026-11-20T10:04:00Z', 'low', ['pod:ns/a', 'pod:ns/b']));
    expect(Object.fromEntries(correlator.takeMergedStoryIds())).toEqual({ [storyIdOf(b.id)]: storyIdOf(a.id), [storyIdOf(c.id)]: storyIdOf(a.id) });
  });
});

const T0 = Date.parse('2026-11-20T10:00:00Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

function pod(name: string) {
  return { namespace: 'miners', name, uid: `uid-${name}` };
}

/** A pod runs a miner (its own story), then the node drops its traffic to a shared pool address (the bridge). */
function minerEvents(name: string, startMs: number, pid: number): RuntimeEvent[] {
  const process = { pid, ppid: pid - 1, exe: '/tmp/xmrig', args: ['xmrig', '--donate-level', '1'] };
  return [
    { id: `${name}/exec`, time: at(startMs), node: 'node-1', source: 'collector', kind: 'process.exec', pod: pod(name), containerId: `c-${name}`, process, details: { filename: '/tmp/xmrig' } },
    { id: `${name}/verdict`, time: at(startMs + 60_000), node: 'node-1', source: 'collector', kind: 'enforce.verdict', pod: pod(name), containerId: `c-${name}`, process: null, details: { mode: 'enforce', action: 'dropped', protocol: 'tcp', dstIp: '203.0.113.77', dstPort: 3333, count: 1 } },
  ];
}

describe('Engine story ids across merges', () => {
  const first = minerEvents('miner-a-1', 0, 100);
  const second = minerEvents('miner-b-1', 10_000, 200);
  const execs = [first[0]!, second[0]!];
  const verdicts = [first[1]!, second[1]!];

  // A window longer than the scenario: each ingest+flush pair is one batch.
  const options = { reorderWindowMs: 10 * 60_000 };

  it('reports the absorbed story in the delta, maps it to the oldest story, and keeps that id', () => {
    const engine = new Engine(options);
    engine.ingest(execs);
    const born = engine.flush();
    expect(born.storyIds).toHaveLength(2);
    const [storyA, storyB] = engine.storyList().map((s) => s.id);
    const deltas: EngineDelta[] = [];
    engine.onChange((d) => deltas.push(d));
    engine.ingest(verdicts);
    engine.flush();
    const merge = deltas.find((d) => d.removedStoryIds.length > 0)!;
    expect(merge.removedStoryIds).toEqual([storyB]);
    expect(merge.mergedInto).toEqual({ [storyB!]: storyA });
    expect(merge.storyIds).toEqual([storyA]);
    const stories = engine.storyList();
    expect(stories.map((s) => s.id)).toEqual([storyA]);
    expect(stories[0]!.steps.map((s) => s.detector)).toEqual(['cryptomining', 'cryptomining', 'enforcement', 'enforcement']);
    expect(engine.story(storyB!)).toBeUndefined();
  });

  it('gives the same ids whatever the arrival order within the reordering window and the batching', () => {
    const inOrder = new Engine();
    inOrder.ingest([...execs, ...verdicts]);
    inOrder.flush();
    const reordered = new Engine();
    for (const e of [second[0]!, first[0]!, second[1]!, first[1]!]) reordered.ingest([e]);
    reordered.flush();
    expect(reordered.currentStats().lateEvents).toBe(0);
    expect(reordered.storyList().map((s) => s.id)).toEqual(inOrder.storyList().map((s) => s.id));
    expect(JSON.stringify(reordered.snapshot().stories)).toBe(JSON.stringify(inOrder.snapshot().stories));
  });

  it('never reports a story that was born and absorbed within one batch', () => {
    const engine = new Engine(options);
    expect(engine.ingest([...execs, ...verdicts]).eventsProcessed).toBe(0);
    const delta = engine.flush();
    expect(delta.storyIds).toHaveLength(1);
    expect(delta.removedStoryIds).toEqual([]);
    expect(delta.mergedInto).toBeUndefined();
  });
});
