// The AI-BOM must validate against the official CycloneDX 1.6 JSON schema (shipped by @cyclonedx/cyclonedx-library)
// and describe what the lab's agents really used. (Node APIs here load the schema; the engine itself uses none.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import { baselineTraffic, shadowAi } from '../../test/fixtures/events/lab-scenarios.js';
import { labInventory } from '../../test/fixtures/events/inventory-fixture.js';

const require = createRequire(import.meta.url);
const schemaDir = path.join(path.dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res/schema');
const loadSchema = (file: string) => JSON.parse(readFileSync(path.join(schemaDir, file), 'utf8')) as Record<string, unknown>;

let compiled: ReturnType<Ajv['compile']> | undefined;
function validator() {
  if (compiled) return compiled;
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  // ajv-formats has no IRI formats; the BOM's IRIs are plain https URLs, which the uri-reference check covers.
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', true);
  // bom-1.6 refers to its neighbours by their SNAPSHOT file names; register them under those ids.
  ajv.addSchema({ ...loadSchema('spdx.SNAPSHOT.schema.json'), $id: 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json' });
  ajv.addSchema({ ...loadSchema('jsf-0.82.SNAPSHOT.schema.json'), $id: 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json' });
  ajv.addSchema({ ...loadSchema('cryptography-defs.SNAPSHOT.schema.json'), $id: 'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json' });
  compiled = ajv.compile(loadSchema('bom-1.6.SNAPSHOT.schema.json'));
  return compiled;
}

function bomAfter(events: ReturnType<typeof baselineTraffic>) {
  const engine = new Engine({ toolVersion: '0.1.0' });
  engine.setInventory(labInventory());
  engine.ingest(events);
  engine.flush();
  return engine.aibom();
}

describe('runtime AI-BOM', () => {
  const bom = bomAfter([...baselineTraffic(), ...shadowAi()]);

  it('is valid CycloneDX 1.6', () => {
    const validate = validator();
    const ok = validate(bom);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects a BOM the schema forbids (the validator can fail)', () => {
    const validate = validator();
    expect(validate({ ...bom, components: [{ type: 'not-a-type', name: 'x' }] })).toBe(false);
  });

  it('lists models, frameworks with versions, agents, MCP servers, LLM and external APIs and tools', () => {
    const components = bom.components as { type: string; name: string; version?: string; evidence?: { identity: { methods: { technique: string }[] }[] } }[];
    const models = components.filter((c) => c.type === 'machine-learning-model').map((c) => c.name);
    expect(models).toEqual(expect.arrayContaining(['gpt-4o-mini', 'gpt-4o', 'llama-3.1-8b-instruct']));
    expect(components).toContainEqual(expect.objectContaining({ type: 'library', name: 'openai', version: '1.54.3' }));
    expect(components).toContainEqual(expect.objectContaining({ type: 'library', name: 'vllm', version: '0.6.3' }));
    expect(components).toContainEqual(expect.objectContaining({ type: 'application', name: 'mcp/mcp-files', description: 'MCP server' }));
    for (const c of components) expect(c.evidence?.identity[0]?.methods[0]?.technique).toBe('instrumentation');
    const services = bom.services as { name: string; group?: string; properties: { name: string; value: string }[] }[];
    expect(services.map((s) => s.name)).toEqual(expect.arrayContaining(['api.llm-provider.example', 'docs.partner.example', 'api.weather.example', 'fetch_url', 'read_file']));
    expect(bom.metadata['lifecycles']).toEqual([{ phase: 'operations' }]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(bomAfter([...baselineTraffic(), ...shadowAi()]))).toBe(JSON.stringify(bom));
  });
});
