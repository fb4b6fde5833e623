// Deterministic plain-words narratives: the same steps always give the same text, each line citing its events.
import type { Signal } from '../model/signal.js';
import type { Story } from '../model/story.js';
import { clockOf } from './event-time.js';

const PHRASES: Record<string, string> = {
  'prompt-injection': 'prompt injection',
  'tool-misuse': 'tool misuse',
  'agent-escape': 'agent escape attempt',
  'credential-access': 'credential access',
  exfiltration: 'exfiltration',
  'shadow-ai': 'undeclared AI',
  drift: 'unexpected new behaviour',
  cryptomining: 'cryptomining',
  enforcement: 'blocked by enforcement',
};

const RULE_PHRASES: Record<string, string> = {
  'download-and-exec': 'tool download',
  'shell-in-service': 'command injection',
  'shell-in-agent': 'agent shell',
};

export function titleOf(steps: Signal[]): string {
  const phrases: string[] = [];
  for (const s of steps) {
    const phrase = RULE_PHRASES[s.rule] ?? PHRASES[s.detector] ?? s.detector;
    if (!phrases.includes(phrase)) phrases.push(phrase);
  }
  const workloads = [...new Set(steps.map((s) => s.workload).filter((w): w is string => w !== null))].sort();
  const text = phrases.join(', then ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)} in ${workloads.join(' and ') || 'the cluster'}`;
}

export function narrate(story: Story, steps: Signal[]): string {
  const lines = [`${story.firstSeen.slice(0, 10)}: ${story.title} (severity ${story.severity}, score ${story.score}).`];
  for (const s of steps) {
    const techniques = s.techniques.filter((t) => t.framework === 'attack' || t.framework === 'atlas').map((t) => t.id);
    lines.push(`${clockOf(s.time)} — ${s.summary}${techniques.length ? ` [${techniques.join(', ')}]` : ''} (events ${s.eventIds.slice(0, 6).join(', ')}${s.eventIds.length > 6 ? `, +${s.eventIds.length - 6} more` : ''}).`);
  }
  return lines.join('\n');
}
