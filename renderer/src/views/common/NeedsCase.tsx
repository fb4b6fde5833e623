// What a case-based view shows while no case is open, or while the engine has nothing for it yet.
import { EmptyState } from '../../app/EmptyState.js';
import { useCase } from '../../case/case-context.js';

export function NeedsCase({ what }: { what: string }) {
  const state = useCase();
  if (state.status === 'opening' || state.load)
    return (
      <EmptyState title="Loading the case">
        <p>{state.load?.label ?? 'Reopening the last case'}…</p>
      </EmptyState>
    );
  return (
    <EmptyState title={`No case open: nothing to show in ${what} yet`} command="vigil serve">
      <p>
        Import an events file (<strong>Import events…</strong> in the top bar, one Vigil event per line as written by the
        collector or by <code>vigil</code>), or connect a cluster in <a href="#/clusters">Clusters</a> for live events.
      </p>
    </EmptyState>
  );
}
