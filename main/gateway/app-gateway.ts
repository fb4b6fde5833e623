// Vigil's gateway: the contract's handlers wired to main's services. Both hosts (Electron and `vigil serve`) build it
// here, so a feature added to the contract is implemented once.
import os from 'node:os';
import { api } from '../../shared/api/contract.js';
import { Gateway } from './gateway.js';
import { VIGIL_VERSION } from '../version.js';
import { listClusters } from './clusters.js';
import { clusterCollectors } from './cluster-collectors.js';
import { responseAccess, responseRun } from './response.js';
import { followLabEvents } from './live-events.js';

export interface HostContext {
  host: 'electron' | 'browser';
  readOnly: boolean;
}

export function createAppGateway(context: HostContext): Gateway<typeof api> {
  const startedAt = new Date().toISOString();
  return new Gateway(api, {
    'app.info': async () => ({
      version: VIGIL_VERSION,
      host: context.host,
      platform: `${os.platform()}-${os.arch()}`,
      startedAt,
      readOnly: context.readOnly,
    }),
    'clusters.list': () => listClusters(),
    'clusters.collectors': (request) => clusterCollectors(request),
    'live.events': (params, emit, signal) => followLabEvents(params, emit, signal),
    'response.access': (request) => responseAccess(request),
    'response.run': (request) => responseRun(request, context.readOnly),
  });
}
