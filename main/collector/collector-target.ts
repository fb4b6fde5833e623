// Where a collector is and how to reach it: URL, bearer token and the CA that signed its certificate. The token and
// CA stay in the main process; nothing here is ever handed to the renderer.
import { readFileSync } from 'node:fs';
import { readLabState } from '../../test/lab/lab-state.js';

export interface CollectorTarget {
  url: string;
  token: string;
  /** PEM of the CA that signed the collector's certificate. */
  ca: string;
}

export class CollectorTargetError extends Error {
  override name = 'CollectorTargetError';
}

function readTrimmed(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new CollectorTargetError(`cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
}

export function targetFromFiles(url: string, tokenFile: string, caFile: string): CollectorTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CollectorTargetError(`collector URL ${JSON.stringify(url)} is not a URL (expected https://HOST:PORT)`);
  }
  if (parsed.protocol !== 'https:') {
    throw new CollectorTargetError(`collector URL ${url} must use https: the collector serves only TLS`);
  }
  const token = readTrimmed(tokenFile, 'token file');
  if (token === '') throw new CollectorTargetError(`token file ${tokenFile} is empty`);
  return { url: parsed.origin, token, ca: readTrimmed(caFile, 'CA file') };
}

/** The collector `vigil lab up` started, from the lab's state.json. */
export function targetFromLab(stateDir?: string): CollectorTarget {
  const lab = readLabState(stateDir);
  if (!lab) throw new CollectorTargetError('no lab is running (no state.json): run `vigil lab up` first');
  if (!lab.collector) {
    throw new CollectorTargetError(
      `the lab has no collector${lab.collectorError ? `: ${lab.collectorError}` : ' (build it with `make -C native-bpf-collector`, then `vigil lab up`)'}`,
    );
  }
  return targetFromFiles(lab.collector.url, lab.collector.tokenFile, lab.collector.caFile);
}
