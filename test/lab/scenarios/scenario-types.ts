// What a scenario is: a named, tagged description of what should be observed (the machine-readable expectation
// detectors and tests compare against) and the code that makes it happen in the lab.
import type { EventKind } from '../../../shared/model/event.js';
import type { ScenarioContext } from './scenario-context.js';

export type ScenarioTag = 'benign' | 'attack' | 'ai' | 'non-ai' | 'llm' | 'mcp' | 'kubernetes' | 'container' | 'network';

export interface ExpectedStep {
  /** What happens, in words a responder would use. */
  action: string;
  /** Pod key (namespace/owner) or external host name doing it. */
  actor: string;
  /** What it acts on: a host, file, tool, API path or pod. */
  target?: string;
  /** Event kinds in which the step should show up. */
  evidence: EventKind[];
}

export interface ExpectedEntities {
  pods: string[];
  tools: string[];
  hosts: string[];
  files: string[];
  /** Kubernetes identities, e.g. system:serviceaccount:agents:research-agent. */
  identities: string[];
}

export interface TechniqueIds {
  /** MITRE ATT&CK (Enterprise / Containers), e.g. T1059.004. */
  mitreAttack: string[];
  /** MITRE ATLAS, e.g. AML.T0051.001. */
  atlas: string[];
  /** OWASP Top 10 for LLM Applications 2025, e.g. LLM01:2025. */
  owaspLlm: string[];
  /** OWASP Top 10 for Agentic Applications (2026), e.g. ASI01. */
  owaspAgentic: string[];
}

export interface ScenarioDescription {
  name: string;
  /** The first tag is always 'benign' or 'attack'. */
  tags: ScenarioTag[];
  description: string;
  expected: { steps: ExpectedStep[]; entities: ExpectedEntities; techniques: TechniqueIds };
}

export interface Scenario {
  description: ScenarioDescription;
  /** Makes the scenario happen; returns what the workloads reported (agent answers, tool steps, HTTP results). */
  run(ctx: ScenarioContext): Promise<Record<string, unknown>>;
}

export const NO_TECHNIQUES: TechniqueIds = { mitreAttack: [], atlas: [], owaspLlm: [], owaspAgentic: [] };
