// Every OCSF record carries its class's required attributes (test/fixtures/bundles/ocsf-required.ts).
import { describe, expect, it } from 'vitest';
import { syntheticEvent } from '../../test/fixtures/bundles/synthetic-case.js';
import type { RuntimeEvent } from '../model/event.js';
import { storyToDetectionFinding, toOcsf, type StoryForOcsf } from './ocsf.js';
import { missingRequired } from '../../test/fixtures/bundles/ocsf-required.js';

const product = { name: 'Vigil', vendor_name: 'Vigil', version: 'test' };

describe('OCSF mapping', () => {
  const events = Array.from({ length: 48 }, (_, i) => syntheticEvent(i));
  const withoutProcess: RuntimeEvent = { ...syntheticEvent(3), process: null };

  it('maps process, network, file and enforcement events with every required field', () => {
    const byClass = new Map<number, number>();
    for (const event of [...events, withoutProcess]) {
      const record = toOcsf(event, product);
      if (!record) continue;
      expect(missingRequired(record), `${event.kind} → ${String(record.class_name)}`).toEqual([]);
      byClass.set(record.class_uid as number, (byClass.get(record.class_uid as number) ?? 0) + 1);
    }
    expect([...byClass.keys()].sort()).toEqual([1001, 1007, 4001]);
  });

  it('leaves kinds outside the four classes unmapped', () => {
    const unmapped = events.filter((e) => toOcsf(e, product) === null).map((e) => e.kind);
    expect(new Set(unmapped)).toEqual(new Set(['dns.query', 'llm.request', 'llm.response', 'http.request', 'syscall.first', 'k8s.audit']));
  });

  it('keeps nanosecond times as epoch milliseconds and the original text', () => {
    const record = toOcsf(syntheticEvent(0), product)!;
    expect(record.time).toBe(Date.parse('2026-11-20T10:00:00.000Z'));
    expect((record.metadata as Record<string, unknown>).original_time).toBe('2026-11-20T10:00:00.000000000Z');
  });

  it('turns a story into a Detection Finding citing its events', () => {
    const story: StoryForOcsf = {
      id: 'story-1', title: 'Exfiltration', severity: 'high', score: 90, techniques: ['T1041'], narrative: 'n',
      steps: [{ time: '2026-11-20T10:00:01Z', summary: 'read token', eventIds: ['e1', 'e2'] }, { time: '2026-11-20T10:00:02Z', summary: 'sent out', eventIds: ['e3'] }],
      entities: [{ kind: 'workload', id: 'w:agents/research-agent', label: 'research-agent' }],
    };
    const finding = storyToDetectionFinding(story, product, '2026-11-21T00:00:00Z');
    expect(missingRequired(finding)).toEqual([]);
    expect(finding).toMatchObject({ class_uid: 2004, activity_id: 1, type_uid: 200401, severity_id: 4 });
    expect((finding.finding_info as { related_events: { uid: string }[] }).related_events.map((e) => e.uid)).toEqual(['e1', 'e2', 'e3']);
  });
});
