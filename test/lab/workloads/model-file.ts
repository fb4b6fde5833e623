// Writes the small safetensors file the shadow-AI model server opens: the format's 8-byte little-endian header
// length, a JSON header (tensor dtype, shape, byte offsets, metadata), then the raw little-endian weights.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROWS = 64;
const COLS = 16;

export function writeModelFile(file: string): void {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const weights = Buffer.alloc(ROWS * COLS * 4);
  for (let i = 0; i < ROWS * COLS; i += 1) {
    // Deterministic pseudo-random weights in [-1, 1).
    const byte = createHash('sha256').update(String(i)).digest()[0]!;
    weights.writeFloatLE(byte / 128 - 1, i * 4);
  }
  const header = {
    __metadata__: { format: 'pt', name: 'churn-llm-mini', vocab: 'churn customers pricing support tickets renewal discount risk quarter trend growth usage' },
    'embed.weight': { dtype: 'F32', shape: [ROWS, COLS], data_offsets: [0, weights.length] },
  };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // the format pads the header to an 8-byte boundary
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  writeFileSync(file, Buffer.concat([size, Buffer.from(json), weights]));
}
