// Filters of the graph: namespaces, entity kinds, an event-time window, and the renderer choice.
import type { EntityKind } from '../../../../shared/model/entity.js';
import type { ExecutionGraph } from '../../../../shared/model/graph.js';
import { entityKinds, namespaceOf, type GraphFilters } from './graph-view-model.js';

function toLocalInput(iso: string | null): string {
  return iso ? iso.slice(0, 19) : '';
}

export function GraphFilterBar({ graph, filters, onChange, webgl, onWebglChange }: {
  graph: ExecutionGraph;
  filters: GraphFilters;
  onChange(filters: GraphFilters): void;
  webgl: boolean;
  onWebglChange(on: boolean): void;
}) {
  const namespaces = [...new Set(graph.nodes.map(namespaceOf).filter((n): n is string => !!n))].sort();
  const toggleKind = (kind: EntityKind) => {
    const kinds = new Set(filters.kinds);
    if (kinds.has(kind)) kinds.delete(kind);
    else kinds.add(kind);
    onChange({ ...filters, kinds });
  };
  const toggleNamespace = (namespace: string) => {
    const current = new Set(filters.namespaces ?? namespaces);
    if (current.has(namespace)) current.delete(namespace);
    else current.add(namespace);
    onChange({ ...filters, namespaces: current.size === namespaces.length ? null : current });
  };
  return (
    <form className="filter-bar" aria-label="Graph filters" onSubmit={(e) => e.preventDefault()}>
      <details className="filter-group">
        <summary>Namespaces ({filters.namespaces ? `${filters.namespaces.size}/${namespaces.length}` : 'all'})</summary>
        <div className="filter-popup">
          {namespaces.map((namespace) => (
            <label key={namespace}>
              <input type="checkbox" checked={!filters.namespaces || filters.namespaces.has(namespace)} onChange={() => toggleNamespace(namespace)} /> {namespace}
            </label>
          ))}
        </div>
      </details>
      <fieldset className="kind-filter">
        <legend className="visually-hidden">Entity kinds</legend>
        {entityKinds.map((kind) => (
          <label key={kind} className={`kind-chip kind-${kind}`}>
            <input type="checkbox" checked={filters.kinds.has(kind)} onChange={() => toggleKind(kind)} /> {kind}
          </label>
        ))}
      </fieldset>
      <label>
        From (UTC){' '}
        <input type="datetime-local" step={1} value={toLocalInput(filters.from)} onChange={(e) => onChange({ ...filters, from: e.currentTarget.value ? `${e.currentTarget.value}Z` : null })} />
      </label>
      <label>
        to{' '}
        <input type="datetime-local" step={1} value={toLocalInput(filters.to)} onChange={(e) => onChange({ ...filters, to: e.currentTarget.value ? `${e.currentTarget.value}.999999999Z` : null })} />
      </label>
      <label title="cytoscape's WebGL renderer: faster with many nodes where the GPU helps">
        <input type="checkbox" checked={webgl} onChange={(e) => onWebglChange(e.currentTarget.checked)} /> WebGL
      </label>
    </form>
  );
}
