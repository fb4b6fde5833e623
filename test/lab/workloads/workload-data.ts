// The files the workloads serve and read: the lab CA and server certificate, the research agent's notes, the
// mcp-files shared folder (plus clearly fake credentials next to it for the tool-misuse scenario to reach through
// the path-traversal bug), the shadow-AI model file and the Redis data folders. Created once, reused.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ensureLabTls } from './lab-tls.js';
import { writeModelFile } from './model-file.js';
import type { WorkloadFiles } from './workload-catalog.js';

/** Where the mcp-files server's fake home directory sits relative to its shared root (root = <srv>/share/docs). */
export const MCP_FILES_DECOY_KEY = '../../home/mcp/.ssh/id_ed25519';

const FAKE_KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'VklHSUwtTEFCLUZBS0UtS0VZLW5vdC1hLXJlYWwta2V5LXVzZWQtYnktdGhlLW1jcC10b29sLW1pc3VzZS1zY2VuYXJpbw==',
  '-----END OPENSSH PRIVATE KEY-----',
  '',
].join('\n');

function writeOnce(file: string, text: string, mode = 0o644): void {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, { mode });
}

export function prepareWorkloadFiles(dir: string): WorkloadFiles {
  const tls = ensureLabTls(path.join(dir, 'tls'));
  const srv = path.join(dir, 'data/mcp-files');
  const files: WorkloadFiles = {
    ...tls,
    notesDir: path.join(dir, 'data/research-notes'),
    mcpFilesRoot: path.join(srv, 'share/docs'),
    modelFile: path.join(dir, 'data/model-server/churn-llm-mini.safetensors'),
    redisDir: path.join(dir, 'data/redis'),
    recordsDir: path.join(dir, 'records'),
  };
  writeOnce(path.join(files.notesDir, 'storage.md'), '# Storage\nSodium-ion pilots look promising; follow the grid-storage report.\n');
  writeOnce(path.join(files.notesDir, 'solar.md'), '# Solar\nPolysilicon prices stabilised in 2026.\n');
  writeOnce(path.join(files.mcpFilesRoot, 'handbook.md'), '# Support handbook\nRefunds above 500 EUR need a second approval.\n');
  writeOnce(path.join(files.mcpFilesRoot, 'faq/shipping.md'), '# Shipping FAQ\nOrders ship within two working days.\n');
  writeOnce(path.join(srv, 'home/mcp/.ssh/id_ed25519'), FAKE_KEY, 0o600);
  writeModelFile(files.modelFile);
  for (const d of [files.recordsDir, path.join(files.redisDir, 'payments-db'), path.join(files.redisDir, 'research-cache')]) {
    mkdirSync(d, { recursive: true });
  }
  return files;
}
