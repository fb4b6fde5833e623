// The case controls in the top bar: which case is open, import an events file, and the progress (with Cancel) of a
// long load. Errors say what happened and that nothing was changed.
import { useRef } from 'react';
import { useCase } from './case-context.js';
import { useAppInfo } from '../app/use-app-info.js';
import type { Progress } from '../engine/engine-protocol.js';

const phaseLabel: Record<Progress['phase'], string> = {
  reading: 'reading',
  validating: 'validating',
  storing: 'storing',
  analysing: 'analysing',
};

function percent(progress: Progress | null): number | null {
  return progress && progress.total ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
}

export function CaseBar() {
  const state = useCase();
  const appInfo = useAppInfo();
  // Reviewing an evidence bundle is read-only: its case is the bundle's, nothing may be added to it.
  const readOnly = appInfo.status === 'ready' && appInfo.info.readOnly;
  const fileInput = useRef<HTMLInputElement>(null);
  const pct = percent(state.load?.progress ?? null);
  return (
    <div className="case-bar">
      {state.load ? (
        <span className="case-load" aria-live="polite">
          {state.load.label}
          {state.load.progress ? ` — ${phaseLabel[state.load.progress.phase]}` : ''}
          <progress max={100} value={pct ?? undefined} aria-label="Load progress" />
          <button type="button" className="ghost small" onClick={state.load.cancel}>
            Cancel
          </button>
        </span>
      ) : (
        <span className="case-title" title={state.caseId ?? undefined}>
          {state.status === 'open' ? (
            <>
              Case <strong>{state.title}</strong> · {state.summary?.eventCount.toLocaleString('en')} events
            </>
          ) : state.status === 'opening' ? (
            'Opening…'
          ) : (
            'No case open'
          )}
        </span>
      )}
      {state.mode === 'live' && !state.load ? (
        <span className={`live-badge live-${state.live?.state ?? 'stopped'}`} title={state.live?.detail}>
          ● {state.live?.state === 'following' ? 'live' : state.live?.state ?? 'not following'}
          {state.live?.missed ? ` · ${state.live.missed} lost` : ''}
          {state.live?.state === 'following' || state.live?.state === 'reconnecting' ? (
            <button type="button" className="ghost small" onClick={state.stopLive}>Stop</button>
          ) : (
            <button type="button" className="ghost small" onClick={() => void state.followLive()}>Resume</button>
          )}
        </span>
      ) : null}
      <button
        type="button"
        className="ghost small"
        onClick={() => fileInput.current?.click()}
        disabled={!!state.load || readOnly}
        title={readOnly ? 'Read-only evidence bundle: nothing can be imported into it' : undefined}
      >
        Import events…
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".ndjson,.jsonl,.json,application/x-ndjson"
        multiple
        className="visually-hidden"
        aria-label="Events files (NDJSON) and an optional inventory.json"
        data-testid="import-events"
        onChange={(event) => {
          const files = Array.from(event.currentTarget.files ?? []);
          event.currentTarget.value = '';
          if (files.length) void state.importFiles(files);
        }}
      />
      {state.error ? (
        <span className="case-error" role="alert">
          {state.error}
          <button type="button" className="ghost small" onClick={state.dismissError} aria-label="Dismiss the error">
            ×
          </button>
        </span>
      ) : null}
    </div>
  );
}
