// AI inventory: the agents, inference servers, MCP servers, models, SDKs, APIs and tools found at runtime in the
// case — shadow AI (found but undeclared) first and marked — and the runtime AI-BOM (CycloneDX 1.6) to export.
import { useMemo } from 'react';
import { EmptyState } from '../../app/EmptyState.js';
import { linkTo } from '../../app/use-route-path.js';
import { useAppInfo } from '../../app/use-app-info.js';
import { useCase } from '../../case/case-context.js';
import { useEngineQuery } from '../../engine/use-engine-query.js';
import { NeedsCase } from '../common/NeedsCase.js';
import { inventoryRows } from './ai-inventory.js';

function download(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/vnd.cyclonedx+json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function InventoryView() {
  const { status, title } = useCase();
  const appInfo = useAppInfo();
  const version = appInfo.status === 'ready' ? appInfo.info.version : null;
  const result = useEngineQuery(status === 'open' && version ? { type: 'aibom', toolVersion: version } : null, `aibom:${version}`);
  const rows = useMemo(() => (result.status === 'ready' ? inventoryRows(result.value.bom, result.value.shadowWorkloads) : []), [result]);
  if (status !== 'open') return <NeedsCase what="the AI inventory" />;
  if (result.status === 'loading') return <p className="muted">Building the AI-BOM…</p>;
  if (result.status === 'error') return <p role="alert">The AI-BOM could not be built: {result.message}</p>;
  if (!rows.length)
    return <div data-view-ready><EmptyState title="No AI workload found"><p>No LLM traffic, model, AI framework, agent or MCP server was observed in this case.</p></EmptyState></div>;
  const shadowCount = result.value.shadowWorkloads.length;
  return (
    <div data-view-ready className="inventory-view">
      <p>
        {rows.length} AI components and services found at runtime ·{' '}
        {shadowCount ? <strong className="shadow-text">{shadowCount} shadow AI workload{shadowCount > 1 ? 's' : ''}: {result.value.shadowWorkloads.join(', ')}</strong> : 'no shadow AI'} ·{' '}
        <button type="button" className="ghost small" onClick={() => download(`${JSON.stringify(result.value.bom, null, 2)}\n`, `${(title ?? 'case').replace(/[^a-z0-9.-]+/gi, '_')}.aibom.cdx.json`)}>
          Export AI-BOM (CycloneDX 1.6 JSON)
        </button>
      </p>
      <table className="data-table compact" aria-label="AI components and services">
        <thead>
          <tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Workloads</th><th scope="col">First seen (UTC)</th><th scope="col">Declared</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.section}:${r.ref}`} className={r.shadow ? 'shadow-row' : undefined}>
              <td>{r.type}</td>
              <td><strong>{r.name}</strong></td>
              <td>{r.version}</td>
              <td>
                {r.workloads.map((w) => (
                  <a key={w} href={linkTo('posture', w)} className="workload-link">
                    {w}{r.shadowWorkloads.includes(w) ? <span className="shadow-text"> (shadow AI)</span> : null}
                  </a>
                ))}
              </td>
              <td>{r.firstSeen.replace('T', ' ').slice(0, 19)}</td>
              <td>{r.shadow ? <span className="badge shadow-badge">no: shadow AI</span> : r.shadowWorkloads.length ? 'partly' : 'yes'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
