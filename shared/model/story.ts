// An attack story: signals joined across layers into one narrative with ordered, evidence-citing steps.
import type { EntityRef } from './entity.js';
import type { Severity } from './signal.js';

export interface StoryStep {
  time: string;
  summary: string;
  eventIds: string[];
  /** Signal behind this step (not part of the CLI's public shape but useful to views). */
  signalId: string;
  detector: string;
}

export interface Story {
  id: string;
  title: string;
  severity: Severity;
  /** 0..100. */
  score: number;
  /** Technique ids across all steps, sorted. */
  techniques: string[];
  steps: StoryStep[];
  entities: EntityRef[];
  narrative: string;
  firstSeen: string;
  lastSeen: string;
  signalIds: string[];
}

/** The JSON shape printed by `vigil stories --json` (issue 6, item 9). */
export interface StoryJson {
  id: string;
  title: string;
  severity: Severity;
  score: number;
  techniques: string[];
  steps: { time: string; summary: string; eventIds: string[] }[];
  entities: EntityRef[];
  narrative: string;
}

export function storyToJson(story: Story): StoryJson {
  return {
    id: story.id,
    title: story.title,
    severity: story.severity,
    score: story.score,
    techniques: story.techniques,
    steps: story.steps.map((s) => ({ time: s.time, summary: s.summary, eventIds: s.eventIds })),
    entities: story.entities,
    narrative: story.narrative,
  };
}
