import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { responseAccess, responseRun } from './response.js';

const env = { KUBECONFIG: path.join(mkdtempSync(path.join(os.tmpdir(), 'vigil-response-')), 'none'), HOME: os.tmpdir() };
const request = { contextId: 'c0ffee', source: 'kubeconfig' as const, namespace: 'agents', pod: 'research-agent-1', mode: 'soft' as const, dryRun: true };

describe('response calls', () => {
  it('refuses a context that does not exist, saying nothing was changed', async () => {
    await expect(responseRun(request, false, env)).rejects.toMatchObject({ code: 'unavailable', message: /no kubeconfig context with id c0ffee.*nothing was changed/ });
    await expect(responseAccess(request, env)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('refuses to apply anything from a read-only workbench', async () => {
    await expect(responseRun({ ...request, dryRun: false }, true, env)).rejects.toMatchObject({ code: 'forbidden', message: /read-only.*nothing was changed/ });
  });
});
