import { describe, expect, it } from 'vitest';
import type { Analysis } from '../engine/engine-protocol.js';
import { paletteCommands } from './palette-commands.js';

const analysis: Analysis = {
  status: 'ready',
  signals: [],
  graph: {
    nodes: [{ id: 'api:collect.exfil.example:443', kind: 'api', label: 'collect.exfil.example:443', attributes: {}, firstSeen: 't', lastSeen: 't', count: 1 }],
    edges: [],
  },
  stories: [{ id: 'story-1', title: 'Prompt injection then exfiltration', severity: 'critical', score: 99, techniques: ['T1567'], steps: [], entities: [], narrative: '', firstSeen: 't', lastSeen: 't', signalIds: [] }],
};

describe('palette commands', () => {
  it('offers every view and the stories when the query is empty, entities only once typed', () => {
    const all = paletteCommands('', analysis);
    expect(all.filter((c) => c.group === 'View')).toHaveLength(10);
    expect(all.some((c) => c.group === 'Story')).toBe(true);
    expect(all.some((c) => c.group === 'Entity')).toBe(false);
  });

  it('matches every word of the query, anywhere, ignoring case', () => {
    const found = paletteCommands('EXFIL collect', analysis);
    expect(found.map((c) => c.id)).toEqual(['entity:api:collect.exfil.example:443']);
    expect(paletteCommands('t1567', analysis).map((c) => c.href)).toEqual(['#/stories/story-1']);
    expect(paletteCommands('dark', null).map((c) => c.action)).toEqual(['theme-dark']);
  });
});
