// What the command palette offers for a query: views, stories, entities of the graph, and theme switching. Pure:
// the palette component turns a chosen command into navigation.
import type { Analysis } from '../engine/engine-protocol.js';
import { viewRoutes } from './routes.js';
import { linkTo } from './use-route-path.js';

export interface PaletteCommand {
  id: string;
  group: 'View' | 'Story' | 'Entity' | 'Action';
  label: string;
  detail?: string;
  /** A hash to open, or an action name the palette knows. */
  href?: string;
  action?: 'import' | 'theme-dark' | 'theme-light' | 'theme-system';
}

const MAX_PER_GROUP = 8;

function matches(query: string, ...texts: string[]): boolean {
  if (!query) return true;
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = texts.join(' ').toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export function paletteCommands(query: string, analysis: Analysis | null): PaletteCommand[] {
  const q = query.trim();
  const commands: PaletteCommand[] = [];
  for (const route of viewRoutes)
    if (matches(q, route.label, route.description)) commands.push({ id: `view:${route.id}`, group: 'View', label: `Open ${route.label}`, detail: route.description, href: linkTo(route.id) });
  if (analysis?.status === 'ready') {
    commands.push(
      ...analysis.stories
        .filter((s) => matches(q, s.title, s.id, s.techniques.join(' ')))
        .slice(0, MAX_PER_GROUP)
        .map((s): PaletteCommand => ({ id: `story:${s.id}`, group: 'Story', label: s.title, detail: `${s.severity} · ${s.id}`, href: linkTo('stories', s.id) })),
    );
    if (q)
      commands.push(
        ...analysis.graph.nodes
          .filter((n) => matches(q, n.label, n.id))
          .slice(0, MAX_PER_GROUP)
          .map((n): PaletteCommand => ({ id: `entity:${n.id}`, group: 'Entity', label: n.label, detail: `${n.kind} · ${n.id}`, href: linkTo('graph', 'node', n.id) })),
      );
  }
  const actions: PaletteCommand[] = [
    { id: 'action:import', group: 'Action', label: 'Import events…', detail: 'NDJSON event files and an optional inventory.json', action: 'import' },
    { id: 'action:dark', group: 'Action', label: 'Use the dark theme', action: 'theme-dark' },
    { id: 'action:light', group: 'Action', label: 'Use the light theme', action: 'theme-light' },
    { id: 'action:system', group: 'Action', label: 'Follow the system theme', action: 'theme-system' },
  ];
  commands.push(...actions.filter((a) => matches(q, a.label, a.detail ?? '')));
  return commands;
}
