import { describe, expect, it } from 'vitest';
import { changesOf } from './step-preview.js';
import { objectPresentSpec } from './object-presence.js';

describe('step preview', () => {
  it('names every change in order with the dry run\'s operation and verdict', () => {
    const policy = objectPresentSpec({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'vigil-baseline-a', namespace: 'agents' }, spec: {} }, 'enforce the allowlist');
    const role = objectPresentSpec({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'vigil-baseline-a', namespace: 'agents' }, rules: [] }, 'scoped role');
    const changes = changesOf([policy, role], {
      ok: false,
      objects: [
        { op: 'create', kind: 'NetworkPolicy', namespace: 'agents', name: 'vigil-baseline-a', ok: true },
        { op: 'none', kind: 'Role', namespace: 'agents', name: 'vigil-baseline-a', ok: false, error: 'forbidden' },
      ],
    });
    expect(changes).toEqual([
      { op: 'create', kind: 'NetworkPolicy', namespace: 'agents', name: 'vigil-baseline-a', purpose: 'enforce the allowlist', ok: true },
      { op: 'none', kind: 'Role', namespace: 'agents', name: 'vigil-baseline-a', purpose: 'scoped role', ok: false, error: 'forbidden' },
    ]);
  });
});
