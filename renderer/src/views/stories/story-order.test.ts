import { describe, expect, it } from 'vitest';
import type { Story } from '../../../../shared/model/story.js';
import { compareStories, keepPlace } from './story-order.js';

const story = (id: string, severity: Story['severity'], score: number, lastSeen: string): Story => ({
  id, title: id, severity, score, lastSeen, firstSeen: lastSeen, techniques: [], steps: [], entities: [], narrative: '', signalIds: [],
});

describe('story order', () => {
  it('puts the most severe, then the highest score, then the latest first', () => {
    const stories = [story('a', 'medium', 90, '2026-01-01T00:00:03Z'), story('b', 'critical', 10, '2026-01-01T00:00:01Z'),
      story('c', 'medium', 90, '2026-01-01T00:00:05Z'), story('d', 'medium', 95, '2026-01-01T00:00:00Z')];
    expect(stories.sort(compareStories).map((s) => s.id)).toEqual(['b', 'd', 'c', 'a']);
  });

  it('keeps shown stories where they were and holds new ones apart', () => {
    const now = [story('new', 'critical', 99, '2026-01-01T00:00:09Z'), story('x', 'low', 1, '2026-01-01T00:00:00Z'), story('y', 'high', 50, '2026-01-01T00:00:00Z')];
    const { shown, arrived } = keepPlace(['x', 'y', 'gone'], now);
    expect(shown.map((s) => s.id)).toEqual(['x', 'y']);
    expect(arrived.map((s) => s.id)).toEqual(['new']);
  });
});
