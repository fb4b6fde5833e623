// `vigil stories`: the attack stories the engine derives from a case, with their steps, techniques and narrative.
import { UsageError, type Command } from '../command.js';
import { parseCommandArgs, printJson } from '../parse-args.js';
import { CASE_USAGE, caseOptions, engineForCase } from '../../case/case-option.js';
import { storyToJson } from '../../../shared/model/story.js';
import { eventTimeMs } from '../../../shared/engine/event-time.js';

const usage = `Usage: vigil stories (--case PATH | --lab | --collector URL ...) [--since RFC3339] [--json]

Correlates the case's signals into attack stories: one story per attack, ordered steps that cite their events,
ATT&CK / ATLAS / OWASP technique ids, the entities involved and a plain-words narrative. Benign activity yields none.

${CASE_USAGE}
  --since T     only stories with activity at or after T (RFC 3339); earlier events still train the baselines
  --json        print [{id, title, severity, score, techniques, steps: [{time, summary, eventIds}], entities, narrative}]`;

export const storiesCommand: Command = {
  name: 'stories',
  summary: 'attack stories of a case (correlated signals with narrative and evidence)',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { ...caseOptions, since: { type: 'string' }, json: { type: 'boolean', default: false } }, false);
    let sinceMs = -Infinity;
    if (values.since !== undefined) {
      sinceMs = eventTimeMs(values.since);
      if (Number.isNaN(sinceMs)) throw new UsageError(`--since '${values.since}' is not an RFC 3339 time (e.g. 2026-11-20T11:00:00Z)`);
    }
    const engine = await engineForCase(values, (m) => io.stderr(`vigil: ${m}\n`));
    const stories = engine.storyList().filter((s) => eventTimeMs(s.lastSeen) >= sinceMs);
    if (values.json) {
      printJson(io, stories.map(storyToJson));
      return 0;
    }
    if (stories.length === 0) io.stdout('No attack stories.\n');
    for (const story of stories) io.stdout(`${story.id}  [${story.severity}, score ${story.score}]  ${story.techniques.join(' ')}\n${story.narrative}\n\n`);
    return 0;
  },
};
