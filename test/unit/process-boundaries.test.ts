// Proves the process-boundary lint rules bite: each violating file below must fail `eslint`, and the matching
// legitimate file must pass. If someone loosens eslint/process-boundaries.js, this fails.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('process boundaries', () => {
  it('rejects a Node import in shared/', async () => {
    expect(await ruleIdsFor('shared/model/violation.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toContain('no-restricted-imports');
    expect(await ruleIdsFor('shared/model/violation.ts', "import path from 'path';\nexport const x = path;\n")).toContain('no-restricted-imports');
  });

  it('rejects DOM and Node globals in shared/', async () => {
    expect(await ruleIdsFor('shared/engine/violation.ts', 'export const w = window.innerWidth;\n')).toContain('no-restricted-globals');
    expect(await ruleIdsFor('shared/engine/violation.ts', 'export const e = process.env;\n')).toContain('no-restricted-globals');
  });

  it('rejects electron outside main/electron/', async () => {
    expect(await ruleIdsFor('main/kube/violation.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
    expect(await ruleIdsFor('renderer/src/violation.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toContain('no-restricted-imports');
  });

  it('rejects renderer imports of main/', async () => {
    expect(await ruleIdsFor('renderer/src/views/violation.ts', "import { Gateway } from '../../../main/gateway/gateway.js';\nexport const g = Gateway;\n")).toContain('no-restricted-imports');
  });

  it('accepts the same imports where they belong', async () => {
    expect(await ruleIdsFor('main/electron/allowed.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await ruleIdsFor('main/kube/allowed.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toEqual([]);
    expect(await ruleIdsFor('shared/model/allowed.ts', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual([]);
    expect(await ruleIdsFor('renderer/src/allowed.ts', "import { api } from '../../shared/api/contract.js';\nexport const a = api;\n")).toEqual([]);
  });
});
