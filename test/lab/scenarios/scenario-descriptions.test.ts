import { describe, expect, it } from 'vitest';
import { eventKinds } from '../../../shared/model/event.js';
import { LAB_PODS, EXTERNAL_HOSTS } from '../topology.js';
import { SCENARIOS } from './scenario-registry.js';

const ISSUE_SCENARIOS = ['baseline-traffic', 'indirect-prompt-injection-exfil', 'mcp-tool-misuse', 'agent-escape-attempt',
  'shadow-ai', 'benign-release-drift', 'cryptominer'];
const podOwners = new Set(LAB_PODS.map((p) => `${p.namespace}/${p.owner.name}`));
const externalNames = new Set(EXTERNAL_HOSTS.map((h) => h.name));

describe('scenario descriptions', () => {
  it('cover exactly the seven scenarios of the issue, with unique names', () => {
    expect(SCENARIOS.map((s) => s.description.name).sort()).toEqual([...ISSUE_SCENARIOS].sort());
  });

  for (const { description: d } of SCENARIOS) {
    describe(d.name, () => {
      it('is tagged benign or attack first, and only attacks carry technique ids', () => {
        expect(['benign', 'attack']).toContain(d.tags[0]);
        const ids = Object.values(d.expected.techniques).flat();
        if (d.tags[0] === 'benign') expect(ids).toEqual([]);
        else expect(ids.length).toBeGreaterThan(0);
      });

      it('uses well-formed ATT&CK, ATLAS, OWASP LLM 2025 and OWASP Agentic ids', () => {
        const t = d.expected.techniques;
        for (const id of t.mitreAttack) expect(id).toMatch(/^T\d{4}(\.\d{3})?$/);
        for (const id of t.atlas) expect(id).toMatch(/^AML\.T\d{4}(\.\d{3})?$/);
        for (const id of t.owaspLlm) expect(id).toMatch(/^LLM(0[1-9]|10):2025$/);
        for (const id of t.owaspAgentic) expect(id).toMatch(/^ASI(0[1-9]|10)$/);
      });

      it('names only lab pods and known event kinds, and has ordered steps', () => {
        expect(d.expected.steps.length).toBeGreaterThan(0);
        for (const pod of d.expected.entities.pods) expect(podOwners).toContain(pod);
        for (const step of d.expected.steps) {
          expect(podOwners.has(step.actor) || externalNames.has(step.actor)).toBe(true);
          for (const kind of step.evidence) expect(eventKinds).toContain(kind);
        }
      });

      it('is plain JSON (what `vigil scenario list --json` prints)', () => {
        expect(JSON.parse(JSON.stringify(d))).toEqual(d);
      });
    });
  }
});
