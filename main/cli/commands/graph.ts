// `vigil graph`: the execution graph of a case — entities and the interactions between them, each edge citing events.
import type { Command } from '../command.js';
import { parseCommandArgs, printJson } from '../parse-args.js';
import { CASE_USAGE, caseOptions, engineForCase } from '../../case/case-option.js';

const usage = `Usage: vigil graph (--case PATH | --lab | --collector URL ...) [--json]

The execution graph along agent → tool → API → data → identity, with the workloads and processes they live in:
nodes (kind, id, label, first/last seen, count) and edges (kind, from, to, first/last seen, count, eventIds).

${CASE_USAGE}
  --json        print {nodes, edges, stats}`;

export const graphCommand: Command = {
  name: 'graph',
  summary: 'execution graph of a case (entities, edges with their evidence)',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { ...caseOptions, json: { type: 'boolean', default: false } }, false);
    const engine = await engineForCase(values, (m) => io.stderr(`vigil: ${m}\n`));
    const graph = engine.graphSnapshot();
    if (values.json) {
      printJson(io, { ...graph, stats: engine.currentStats() });
      return 0;
    }
    const byKind = new Map<string, number>();
    for (const node of graph.nodes) byKind.set(node.kind, (byKind.get(node.kind) ?? 0) + 1);
    io.stdout(`${graph.nodes.length} nodes (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}), ${graph.edges.length} edges\n`);
    const labels = new Map(graph.nodes.map((n) => [n.id, n.label]));
    for (const edge of graph.edges.filter((e) => e.kind !== 'runs' && e.kind !== 'holds-identity')) {
      io.stdout(`  ${labels.get(edge.from) ?? edge.from} —${edge.kind}→ ${labels.get(edge.to) ?? edge.to}  ×${edge.count}  ${edge.firstSeen} … ${edge.lastSeen}\n`);
    }
    return 0;
  },
};
