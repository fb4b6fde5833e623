// The execution graph view: filters, the canvas, and the evidence behind what the responder clicks. A route
// `#/graph/story/<id>` shows a story's path (the rest dimmed); `#/graph/node/<entity id>` opens one entity.
import { useEffect, useMemo, useState } from 'react';
import type { EntityKind } from '../../../../shared/model/entity.js';
import type { ExecutionGraph } from '../../../../shared/model/graph.js';
import type { Story } from '../../../../shared/model/story.js';
import { EmptyState } from '../../app/EmptyState.js';
import { linkTo, useRoutePath } from '../../app/use-route-path.js';
import { useCase } from '../../case/case-context.js';
import { NeedsCase } from '../common/NeedsCase.js';
import { GraphCanvas, type GraphSelection } from './GraphCanvas.js';
import { EDGE_BUDGET, type Detail } from './graph-detail.js';
import { GraphDetails } from './GraphDetails.js';
import { GraphFilterBar } from './GraphFilterBar.js';
import { buildGraphView, defaultCollapsed, entityKinds, groupsOf, type GraphFilters, type Highlight } from './graph-view-model.js';

function highlightOf(story: Story | undefined): Highlight | null {
  if (!story) return null;
  return { nodeIds: new Set(story.entities.map((e) => e.id)), eventIds: new Set(story.steps.flatMap((s) => s.eventIds)) };
}

export function GraphView() {
  const { analysis, status } = useCase();
  if (status !== 'open' || !analysis) return <NeedsCase what="the Graph" />;
  if (analysis.status !== 'ready') return <p role="alert">The engine could not analyse this case: {analysis.reason}</p>;
  if (!analysis.graph.nodes.length)
    return (
      <div data-view-ready>
        <EmptyState title="No entity in this case yet">
          <p>The engine has not resolved any workload, agent, tool, API, data or identity from these events.</p>
        </EmptyState>
      </div>
    );
  return <GraphWorkspace graph={analysis.graph} stories={analysis.stories} />;
}

function GraphWorkspace({ graph, stories }: { graph: ExecutionGraph; stories: Story[] }) {
  const [mode, target] = useRoutePath();
  const story = mode === 'story' ? stories.find((s) => s.id === target) : undefined;
  const [filters, setFilters] = useState<GraphFilters>({ namespaces: null, kinds: new Set<EntityKind>(entityKinds), from: null, to: null });
  const [collapsed, setCollapsed] = useState<Set<string>>(() => defaultCollapsed(graph));
  const [selection, setSelection] = useState<GraphSelection>(mode === 'node' && target ? { type: 'node', id: target } : null);
  const [webgl, setWebgl] = useState(false);
  const [detail, setDetail] = useState<Detail | null>(null);
  useEffect(() => {
    if (mode === 'node' && target) setSelection({ type: 'node', id: target });
  }, [mode, target]);

  const highlight = useMemo(() => highlightOf(story), [story]);
  // The groups holding a story's entities are opened even in a big graph, so its path is visible node by node.
  const effectiveCollapsed = useMemo(() => {
    if (!story) return collapsed;
    const open = groupsOf(story.entities.map((e) => e.id), graph);
    return new Set([...collapsed].filter((id) => !open.has(id)));
  }, [collapsed, story, graph]);
  const view = useMemo(() => buildGraphView(graph, filters, effectiveCollapsed, highlight), [graph, filters, effectiveCollapsed, highlight]);
  const focusIds = useMemo(
    () => (story ? view.nodes.filter((n) => n.onPath && !n.isGroup).map((n) => n.id) : mode === 'node' && target ? [target] : []),
    [story, view, mode, target],
  );
  // Filters and the story reframe the viewport; expanding or collapsing a workload keeps the responder where they are.
  const fitKey = useMemo(
    () => JSON.stringify([[...filters.kinds].sort(), filters.namespaces && [...filters.namespaces].sort(), filters.from, filters.to, story?.id ?? null]),
    [filters, story],
  );
  const toggleGroup = (id: string) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="graph-view" data-view-ready>
      <GraphFilterBar graph={graph} filters={filters} onChange={setFilters} webgl={webgl} onWebglChange={setWebgl} />
      <p className="graph-status muted" aria-live="polite">
        {view.nodes.length.toLocaleString('en')} nodes · {view.edges.length.toLocaleString('en')} edges
        {view.hiddenNodes ? ` · ${view.hiddenNodes.toLocaleString('en')} filtered out` : ''}
        {story ? (
          <>
            {' '}· path of <a href={linkTo('stories', story.id)}>{story.title}</a> · <a href={linkTo('graph')}>clear</a>
          </>
        ) : mode === 'story' ? (
          ` · no story ${target} in this case`
        ) : null}
        {detail?.edgesOverBudget ? (
          <span data-testid="graph-detail">
            {' '}· edges hidden at this zoom ({detail.edgesOverBudget.toLocaleString('en')} in view, drawn from {EDGE_BUDGET.toLocaleString('en')} or fewer): zoom in or select a node
          </span>
        ) : null}
        {' '}· double-click a workload or a group to expand or collapse it
      </p>
      <div className="graph-body">
        <GraphCanvas
          view={view}
          webgl={webgl}
          focusIds={focusIds}
          fitKey={fitKey}
          selectedId={selection?.type === 'node' ? selection.id : null}
          onSelect={setSelection}
          onToggleGroup={toggleGroup}
          onDetail={setDetail}
        />
        <GraphDetails view={view} selection={selection} collapsed={effectiveCollapsed} onToggleGroup={toggleGroup} />
      </div>
    </div>
  );
}
