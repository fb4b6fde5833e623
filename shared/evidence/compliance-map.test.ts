import { describe, expect, it } from 'vitest';
import { controlsInvolved, incidentFigures, themesOf } from './compliance-map.js';

describe('compliance mapping', () => {
  it('maps techniques and actions to themes', () => {
    expect(themesOf(['T1611', 'T1055.008'], [])).toEqual(['container escape', 'incident response']);
    expect(themesOf(['T1552.007', 'T1567', 'AML.T0051.001'], ['quarantine.hard'])).toEqual(['credential access', 'exfiltration and egress', 'AI agent misuse', 'incident response', 'containment']);
    expect(themesOf([], [])).toEqual([]);
  });

  it('lists each control once, with every reason, ordered by framework', () => {
    const controls = controlsInvolved(['T1496', 'T1611'], ['quarantine.hard']);
    const cc68 = controls.filter((c) => c.framework === 'SOC 2' && c.id === 'CC6.8');
    expect(cc68).toHaveLength(1);
    expect(cc68[0]!.because.sort()).toEqual(['container escape', 'resource hijacking']);
    expect(controls[0]!.framework).toBe('CIS Kubernetes Benchmark');
    expect(controls.at(-1)!.framework).toBe('HIPAA Security Rule');
    expect(controls.some((c) => c.id === '12.10')).toBe(true);
  });

  it('measures time to contain from the first attack step to the first applied quarantine', () => {
    const figures = incidentFigures(['2026-11-20T10:00:05Z', '2026-11-20T10:00:01.5Z'], [
      { action: 'quarantine.hard', time: '2026-11-20T10:02:00Z', outcome: 'rejected' },
      { action: 'quarantine.hard', time: '2026-11-20T10:03:01.5Z', outcome: 'applied' },
      { action: 'quarantine.release', time: '2026-11-20T11:00:00Z', outcome: 'applied' },
    ]);
    expect(figures).toEqual({ firstAttackEvidence: '2026-11-20T10:00:01.5Z', firstContainment: '2026-11-20T10:03:01.5Z', timeToContainMs: 180_000 });
    expect(incidentFigures([], []).timeToContainMs).toBeNull();
  });
});
