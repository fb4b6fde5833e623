// After promotion, the attack's exfiltration connect is dropped at the node: the drop is a step of the attack's story.
import { describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../../model/event.js';
import { Engine } from '../engine.js';
import { baselineTraffic, indirectPromptInjectionExfil } from '../../../test/fixtures/events/lab-scenarios.js';
import { labInventory } from '../../../test/fixtures/events/inventory-fixture.js';

function run(events: readonly RuntimeEvent[]): Engine {
  const engine = new Engine();
  engine.setInventory(labInventory());
  engine.ingest(events);
  engine.flush();
  return engine;
}

function dropVerdictAfter(attack: RuntimeEvent[], action: 'dropped' | 'would-drop'): RuntimeEvent {
  const exfil = attack.find((e) => e.kind === 'net.connect' && e.details.dstPort === 443 && e.pod?.namespace === 'agents' && /exfil|198\.51\.100\.66|203\.0\.113\.66/.test(`${e.details.dnsName ?? ''} ${e.details.dstIp}`));
  if (!exfil || exfil.kind !== 'net.connect') throw new Error('the fixture has no exfiltration connect');
  return {
    id: 'lab-node-1/verdict/1',
    time: exfil.time,
    node: exfil.node,
    source: 'collector',
    kind: 'enforce.verdict',
    pod: exfil.pod,
    containerId: exfil.containerId,
    process: null,
    details: { mode: action === 'dropped' ? 'enforce' : 'audit', action, protocol: 'tcp', dstIp: exfil.details.dstIp, dstPort: exfil.details.dstPort, count: 1 },
  };
}

describe('enforcement blocks in stories', () => {
  it('a node-level drop of the exfiltration connect is a step of the attack story', () => {
    const attack = indirectPromptInjectionExfil();
    const verdict = dropVerdictAfter(attack, 'dropped');
    const stories = run([...baselineTraffic(), ...attack, verdict]).storyList();
    expect(stories).toHaveLength(1);
    const step = stories[0]!.steps.find((s) => s.detector === 'enforcement');
    expect(step, JSON.stringify(stories[0]!.steps.map((s) => s.detector))).toBeDefined();
    expect(step!.eventIds).toEqual([verdict.id]);
    expect(stories[0]!.narrative).toMatch(/blocked 1 TCP packet\(s\) to .*:443/);
  });

  it('a block alone does not make a story', () => {
    const verdict = dropVerdictAfter(indirectPromptInjectionExfil(), 'dropped');
    const engine = run([...baselineTraffic(), verdict]);
    expect(engine.storyList()).toEqual([]);
    expect(engine.signalList().map((s) => s.severity)).toEqual(['low']);
  });
});
