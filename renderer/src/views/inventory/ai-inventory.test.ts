import { describe, expect, it } from 'vitest';
import type { CycloneDxBom } from '../../../../shared/engine/aibom.js';
import { inventoryRows } from './ai-inventory.js';

const bom: CycloneDxBom = {
  bomFormat: 'CycloneDX', specVersion: '1.6', serialNumber: 'urn:uuid:x', version: 1, metadata: {}, dependencies: [],
  components: [
    { type: 'machine-learning-model', 'bom-ref': 'model:gpt', name: 'gpt-4o-mini', properties: [{ name: 'vigil:workload', value: 'agents/research-agent' }, { name: 'vigil:first-seen', value: 't1' }] },
    { type: 'application', 'bom-ref': 'agent:nb', name: 'notebook agent', properties: [{ name: 'vigil:workload', value: 'data-science/notebook' }] },
  ],
  services: [{ 'bom-ref': 'api:llm', name: 'api.llm-provider.example', properties: [{ name: 'vigil:workload', value: 'agents/research-agent' }, { name: 'vigil:workload', value: 'data-science/notebook' }] }],
};

describe('AI inventory rows', () => {
  it('lists components and services with their workloads, shadow AI first', () => {
    const rows = inventoryRows(bom, ['data-science/notebook']);
    expect(rows.map((r) => [r.name, r.shadow, r.shadowWorkloads])).toEqual([
      ['notebook agent', true, ['data-science/notebook']],
      ['api.llm-provider.example', false, ['data-science/notebook']],
      ['gpt-4o-mini', false, []],
    ]);
    expect(rows[2]).toMatchObject({ type: 'machine-learning-model', workloads: ['agents/research-agent'], firstSeen: 't1', section: 'component' });
    expect(rows[1]!.type).toBe('service');
  });
});
