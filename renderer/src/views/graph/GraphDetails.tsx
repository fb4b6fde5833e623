// The side panel of the graph: what is selected and the events behind it.
import { linkTo } from '../../app/use-route-path.js';
import { CopyId } from '../common/CopyId.js';
import { EventList } from '../common/EventList.js';
import type { GraphSelection } from './GraphCanvas.js';
import { eventIdsOfNode, type GraphView } from './graph-view-model.js';
import { sharedGroupOf } from './shared-groups.js';

const when = (time: string) => time.replace('T', ' ').slice(0, 19);

export function GraphDetails({ view, selection, collapsed, onToggleGroup }: {
  view: GraphView;
  selection: GraphSelection;
  collapsed: ReadonlySet<string>;
  onToggleGroup(id: string): void;
}) {
  if (!selection)
    return (
      <aside className="graph-details panel" aria-label="Selection">
        <h2 className="panel-title">Nothing selected</h2>
        <p className="muted">Click a node or an edge to see the events behind it.</p>
      </aside>
    );
  if (selection.type === 'edge') {
    const edge = view.edges.find((e) => e.id === selection.id);
    if (!edge) return <aside className="graph-details panel" aria-label="Selection"><p>The selected edge is filtered out.</p></aside>;
    const label = (id: string) => view.nodes.find((n) => n.id === id)?.label ?? id;
    return (
      <aside className="graph-details panel" aria-label="Selection">
        <h2 className="panel-title">{label(edge.source)} → {label(edge.target)}</h2>
        <p>
          <strong>{edge.kinds.join(', ')}</strong> · {edge.count.toLocaleString('en')} events · {when(edge.firstSeen)} → {when(edge.lastSeen)}
        </p>
        <CopyId id={edge.id} />
        <h3>Events behind this edge</h3>
        <EventList ids={edge.eventIds.slice(0, 200)} truncated={edge.eventIdsTruncated || edge.eventIds.length > 200} />
      </aside>
    );
  }
  const node = view.nodes.find((n) => n.id === selection.id);
  if (!node) return <aside className="graph-details panel" aria-label="Selection"><p>The selected entity is filtered out or inside a collapsed workload.</p></aside>;
  const evidence = eventIdsOfNode(view, node.id);
  return (
    <aside className="graph-details panel" aria-label="Selection">
      <h2 className="panel-title">{node.label}</h2>
      <p>
        <strong>{node.kind}</strong> · {node.source.count.toLocaleString('en')} events · {when(node.source.firstSeen)} → {when(node.source.lastSeen)}
      </p>
      <CopyId id={node.id} />
      {Object.keys(node.source.attributes).length ? (
        <dl className="attributes">
          {Object.entries(node.source.attributes).map(([key, value]) => (
            <div key={key}><dt>{key}</dt><dd>{value}</dd></div>
          ))}
        </dl>
      ) : null}
      {node.kind === 'workload' ? (
        <p>
          <button type="button" className="ghost small" onClick={() => onToggleGroup(node.id)}>
            {collapsed.has(node.id) ? `Expand (${node.members} members)` : 'Collapse into one node'}
          </button>{' '}
          <a href={linkTo('response', 'workload', node.id.replace(/^workload:/, ''))}>Respond…</a>
        </p>
      ) : node.isGroup ? (
        <p>
          <button type="button" className="ghost small" onClick={() => onToggleGroup(node.id)}>
            Expand ({node.members} {node.kind} nodes)
          </button>
        </p>
      ) : (
        <CollapseIntoGroup node={node.source} onToggleGroup={onToggleGroup} />
      )}
      <h3>Events behind this {node.kind}</h3>
      {evidence.ids.length ? <EventList ids={evidence.ids} truncated={evidence.truncated} /> : <p className="muted">No drawn edge touches it.</p>}
    </aside>
  );
}

/** A node drawn on its own that belongs to a shared group (a host of a domain, a file of a directory) can fold back. */
function CollapseIntoGroup({ node, onToggleGroup }: { node: Parameters<typeof sharedGroupOf>[0]; onToggleGroup(id: string): void }) {
  const group = sharedGroupOf(node);
  if (!group) return null;
  return (
    <p>
      <button type="button" className="ghost small" onClick={() => onToggleGroup(group.id)}>
        Collapse into {group.label}
      </button>
    </p>
  );
}
