// Brings cytoscape's elements to a new graph view by difference: elements that left are removed, new ones added, the
// rest only moved, re-classed or relabelled. Expanding one workload or highlighting a story in a 10,000-node graph
// then costs the change, not a rebuild of every element (creating an element is what cytoscape spends most on).
import type { Core, ElementDefinition, NodeSingular } from 'cytoscape';

export interface SyncResult {
  added: number;
  removed: number;
  changed: number;
}

const DATA_KEYS = ['label', 'width', 'height', 'weight'] as const;

export function syncElements(cy: Core, elements: readonly ElementDefinition[]): SyncResult {
  const wanted = new Map<string, ElementDefinition>();
  for (const element of elements) wanted.set(element.data.id!, element);
  const result: SyncResult = { added: 0, removed: 0, changed: 0 };
  cy.batch(() => {
    const leaving = cy.elements().filter((element) => {
      const next = wanted.get(element.id());
      if (!next) return true;
      // An edge whose ends changed is a different edge under the same id.
      return element.isEdge() && (element.data('source') !== next.data.source || element.data('target') !== next.data.target);
    });
    result.removed = leaving.length;
    cy.remove(leaving);

    const adding: ElementDefinition[] = [];
    for (const next of elements) {
      const current = cy.getElementById(next.data.id!);
      if (current.empty()) {
        adding.push(next);
        continue;
      }
      let changed = false;
      const classes = typeof next.classes === 'string' ? next.classes : (next.classes ?? []).join(' ');
      if (current.classes().join(' ') !== classes) {
        current.classes(classes);
        changed = true;
      }
      for (const key of DATA_KEYS) {
        const value = (next.data as Record<string, unknown>)[key];
        if (value !== undefined && current.data(key) !== value) {
          current.data(key, value);
          changed = true;
        }
      }
      if (next.position && current.isNode()) {
        const node = current as NodeSingular;
        const at = node.position();
        if (at.x !== next.position.x || at.y !== next.position.y) {
          node.position({ x: next.position.x, y: next.position.y });
          changed = true;
        }
      }
      if (changed) result.changed++;
    }
    result.added = adding.length;
    if (adding.length) cy.add(adding);
  });
  return result;
}
