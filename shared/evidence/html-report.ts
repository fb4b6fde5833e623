// The case as one self-contained HTML page for people who review it offline: inline CSS, no script, no external
// URL, so it opens in any browser without a network and prints to PDF as it looks. Pure: it renders the data it is
// given (already redacted by the caller) and escapes every value.
import type { ControlFinding, IncidentFigures } from './compliance-map.js';
import type { StoryForOcsf } from './ocsf.js';

export interface ReportAction {
  seq: number;
  time: string;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  hash: string;
}

export interface ReportEvent {
  id: string;
  time: string;
  kind: string;
  where: string;
  summary: string;
}

export interface ReportInput {
  title: string;
  caseId: string;
  generatedAt: string;
  toolVersion: string;
  source: string;
  clusters: { context: string; clusterId: string }[];
  events: { count: number; byKind: Record<string, number>; firstTime: string | null; lastTime: string | null };
  stories: StoryForOcsf[];
  actions: ReportAction[];
  actionLogIntact: boolean | null;
  notableEvents: ReportEvent[];
  notableEventsOmitted: number;
  notes: { time: string; author: string; text: string }[];
  omitted: { path: string; reason: string }[];
  controls: ControlFinding[];
  figures: IncidentFigures;
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const e = escapeHtml;

const STYLE = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6577; --line: #d9dee7; --band: #f4f6f9; --accent: #23527c; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1040px; margin: 0 auto; padding: 32px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); color: var(--accent); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 16px 0; }
.figure { background: var(--band); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.figure b { display: block; font-size: 20px; }
.figure span { color: var(--muted); font-size: 12px; }
table { width: 100%; border-collapse: collapse; margin: 6px 0 12px; font-size: 12.5px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--band); font-weight: 600; }
td.mono, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11.5px; word-break: break-all; }
.story { border: 1px solid var(--line); border-left: 5px solid var(--sev, #888); border-radius: 6px; padding: 10px 14px; margin: 12px 0; page-break-inside: avoid; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 11px; font-weight: 700; color: #fff; background: var(--sev, #888); text-transform: uppercase; }
.sev-critical { --sev: #8b1a1a; } .sev-high { --sev: #c0392b; } .sev-medium { --sev: #d68910; } .sev-low { --sev: #2e86c1; } .sev-info { --sev: #7f8c8d; }
.ok { color: #1e7e34; font-weight: 600; } .bad { color: #b02a37; font-weight: 600; }
.note { background: var(--band); border-radius: 6px; padding: 8px 12px; margin: 8px 0; white-space: pre-wrap; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
@media print { main { padding: 0; } h2 { page-break-after: avoid; } }
`;

/** The narrative repeats the steps listed below it; the report shows its opening and points to the whole. */
const NARRATIVE_CHARS = 700;

function storySection(story: StoryForOcsf): string {
  const severity = story.severity.toLowerCase();
  const steps = story.steps
    .map((step) => `<tr><td class="mono">${e(step.time)}</td><td>${e(step.summary)}</td><td class="mono">${e(step.eventIds.slice(0, 6).join(', '))}${step.eventIds.length > 6 ? ` … (+${step.eventIds.length - 6})` : ''}</td></tr>`)
    .join('');
  return `<section class="story sev-${e(severity)}">
<h3><span class="badge">${e(story.severity)}</span> ${e(story.title)}</h3>
<p class="meta">Story ${e(story.id)}${story.score !== undefined ? ` · score ${story.score}` : ''}${story.techniques.length ? ` · techniques ${e(story.techniques.join(', '))}` : ''}</p>
${story.narrative ? `<p>${e(story.narrative.length > NARRATIVE_CHARS ? `${story.narrative.slice(0, NARRATIVE_CHARS)}… (the full narrative is in stories.json)` : story.narrative)}</p>` : ''}
<table><thead><tr><th style="width:22%">Time</th><th>What happened</th><th style="width:30%">Evidence (event ids)</th></tr></thead><tbody>${steps}</tbody></table>
</section>`;
}

export function renderHtmlReport(input: ReportInput): string {
  const kinds = Object.entries(input.events.byKind).sort((a, b) => b[1] - a[1]);
  const figures = [
    [input.events.count.toLocaleString('en-US'), 'events'],
    [String(input.stories.length), input.stories.length === 1 ? 'story' : 'stories'],
    [String(input.actions.length), 'responder actions'],
    [String(input.clusters.length), input.clusters.length === 1 ? 'cluster' : 'clusters'],
  ];
  const chain = input.actionLogIntact === null ? '' : input.actionLogIntact ? '<p class="ok">The action log\'s hash chain is intact.</p>' : '<p class="bad">The action log\'s hash chain is BROKEN.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(input.title)} — Vigil evidence report</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${e(input.title)}</h1>
<p class="meta">Case ${e(input.caseId)} · report generated ${e(input.generatedAt)} by Vigil ${e(input.toolVersion)} · source ${e(input.source)}</p>
<div class="figures">${figures.map(([value, label]) => `<div class="figure"><b>${e(value!)}</b><span>${e(label!)}</span></div>`).join('')}</div>
<p>Events observed ${input.events.firstTime ? `from <span class="mono">${e(input.events.firstTime)}</span> to <span class="mono">${e(input.events.lastTime ?? '')}</span>` : '(none)'}${input.clusters.length ? ` in ${input.clusters.map((c) => `<b>${e(c.context)}</b>`).join(', ')}` : ''}.</p>

<h2>Attack stories</h2>
${input.stories.length ? input.stories.map(storySection).join('\n') : '<p>No attack story was derived from these events.</p>'}

<h2>What the responder did</h2>
${input.figures.firstContainment ? `<p>First evidence of the attack <span class="mono">${e(input.figures.firstAttackEvidence ?? 'unknown')}</span>; first quarantine applied <span class="mono">${e(input.figures.firstContainment)}</span>${input.figures.timeToContainMs !== null ? ` — <b>contained ${e(duration(input.figures.timeToContainMs))} after the first evidence</b>` : ''}.</p>` : ''}
${chain}
${input.actions.length ? `<table><thead><tr><th>#</th><th>Time</th><th>Who</th><th>Action</th><th>Target</th><th>Outcome</th><th>Entry hash</th></tr></thead><tbody>${input.actions.map((a) => `<tr><td>${a.seq}</td><td class="mono">${e(a.time)}</td><td>${e(a.actor)}</td><td>${e(a.action)}</td><td>${e(a.target)}</td><td>${e(a.outcome)}</td><td class="mono">${e(a.hash.slice(0, 16))}…</td></tr>`).join('')}</tbody></table>` : '<p>No responder action is recorded for this case.</p>'}

<h2>Controls involved</h2>
${input.controls.length ? `<p class="meta">An indicative mapping of the techniques seen and the actions taken to the controls an auditor checks; it names the controls involved, it does not grade them.</p>
<table><thead><tr><th style="width:24%">Framework</th><th style="width:14%">Control</th><th>What it asks</th><th style="width:22%">Involved because of</th></tr></thead><tbody>${input.controls.map((c) => `<tr><td>${e(c.framework)}</td><td class="mono">${e(c.id)}</td><td>${e(c.title)}</td><td>${e(c.because.join(', '))}</td></tr>`).join('')}</tbody></table>` : '<p>No technique or responder action to map.</p>'}

<h2>Notable events</h2>
${input.notableEvents.length ? `<table><thead><tr><th style="width:20%">Time</th><th style="width:12%">Kind</th><th style="width:22%">Where</th><th>What</th></tr></thead><tbody>${input.notableEvents.map((ev) => `<tr><td class="mono">${e(ev.time)}</td><td>${e(ev.kind)}</td><td>${e(ev.where)}</td><td>${e(ev.summary)} <span class="mono">(${e(ev.id)})</span></td></tr>`).join('')}</tbody></table>` : '<p>No notable event (credential reads, blocked egress, tool calls, denied API calls, shells).</p>'}
${input.notableEventsOmitted ? `<p class="meta">${input.notableEventsOmitted.toLocaleString('en-US')} more notable events are in the bundle's events file.</p>` : ''}

<h2>Events by kind</h2>
<table><thead><tr><th>Kind</th><th>Count</th></tr></thead><tbody>${kinds.map(([kind, count]) => `<tr><td>${e(kind)}</td><td>${count.toLocaleString('en-US')}</td></tr>`).join('')}</tbody></table>

<h2>Notes</h2>
${input.notes.length ? input.notes.map((n) => `<div class="note"><b>${e(n.author)}</b> · <span class="mono">${e(n.time)}</span>\n${e(n.text)}</div>`).join('') : '<p>No notes.</p>'}

${input.omitted.length ? `<h2>Not included</h2><ul>${input.omitted.map((o) => `<li><span class="mono">${e(o.path)}</span>: ${e(o.reason)}</li>`).join('')}</ul>` : ''}
<footer>Secrets (tokens, keys, passwords) were replaced with [REDACTED:kind] markers before this report was written. The signed evidence bundle of this case can be checked with <span class="mono">vigil evidence verify</span> or with openssl and sha256sum alone (docs/verify-without-vigil.md).</footer>
</main>
</body>
</html>
`;
}
