// Every named scenario, in the order `vigil scenario list` shows them.
import { agentEscapeAttempt } from './agent-escape-attempt.js';
import { baselineTraffic } from './baseline-traffic.js';
import { benignReleaseDrift } from './benign-release-drift.js';
import { cryptominer } from './cryptominer.js';
import { indirectPromptInjectionExfil } from './indirect-prompt-injection-exfil.js';
import { mcpToolMisuse } from './mcp-tool-misuse.js';
import type { Scenario } from './scenario-types.js';
import { shadowAi } from './shadow-ai.js';

export const SCENARIOS: Scenario[] = [
  baselineTraffic,
  indirectPromptInjectionExfil,
  mcpToolMisuse,
  agentEscapeAttempt,
  shadowAi,
  benignReleaseDrift,
  cryptominer,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.description.name === name);
}
