// Rows of the AI inventory from the runtime AI-BOM: what was found (models, frameworks, agents, MCP servers, APIs,
// tools), where (workloads), since when, and whether a workload running it was flagged as shadow AI (found at runtime
// but not declared).
import type { CycloneDxBom } from '../../../../shared/engine/aibom.js';

export interface InventoryRow {
  ref: string;
  section: 'component' | 'service';
  type: string;
  name: string;
  version: string;
  workloads: string[];
  firstSeen: string;
  lastSeen: string;
  /** Every workload running it is shadow AI. */
  shadow: boolean;
  /** Its workloads that are shadow AI (some may be declared). */
  shadowWorkloads: string[];
}

function properties(item: Record<string, unknown>): { name: string; value: string }[] {
  return Array.isArray(item.properties) ? (item.properties as { name: string; value: string }[]) : [];
}

export function inventoryRows(bom: CycloneDxBom, shadowWorkloads: readonly string[]): InventoryRow[] {
  const shadow = new Set(shadowWorkloads);
  const row = (section: InventoryRow['section'], item: Record<string, unknown>): InventoryRow => {
    const props = properties(item);
    const value = (name: string) => props.find((p) => p.name === name)?.value ?? '';
    const workloads = props.filter((p) => p.name === 'vigil:workload').map((p) => p.value);
    return {
      ref: String(item['bom-ref'] ?? ''),
      section,
      type: String(item.type ?? (section === 'service' ? 'service' : '')),
      name: String(item.name ?? ''),
      version: String(item.version ?? ''),
      workloads,
      firstSeen: value('vigil:first-seen'),
      lastSeen: value('vigil:last-seen'),
      shadow: workloads.length > 0 && workloads.every((w) => shadow.has(w)),
      shadowWorkloads: workloads.filter((w) => shadow.has(w)),
    };
  };
  return [...bom.components.map((c) => row('component', c)), ...bom.services.map((s) => row('service', s))].sort(
    (a, b) => Number(b.shadow) - Number(a.shadow) || b.shadowWorkloads.length - a.shadowWorkloads.length || (a.type < b.type ? -1 : a.type > b.type ? 1 : a.name < b.name ? -1 : 1),
  );
}
