// A detector's finding: what happened, how bad, how sure, which techniques, in plain words, citing its events.
import type { EntityRef } from './entity.js';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITY_ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export function severityRank(s: Severity): number {
  return SEVERITY_ORDER.indexOf(s);
}

export type TechniqueFramework = 'attack' | 'atlas' | 'owasp-llm' | 'owasp-agentic';

export interface Technique {
  framework: TechniqueFramework;
  /** e.g. `T1552.001`, `AML.T0051.001`, `LLM01:2025`, `ASI02`. */
  id: string;
  name: string;
}

export type DetectorName =
  | 'prompt-injection'
  | 'tool-misuse'
  | 'agent-escape'
  | 'credential-access'
  | 'exfiltration'
  | 'shadow-ai'
  | 'drift'
  | 'cryptomining'
  /** Not an attack: Vigil's own enforcement blocking (or, in audit mode, flagging) traffic — a step of the story it stopped. */
  | 'enforcement';

export interface Signal {
  /** Stable: `sig:<detector>:<rule>:<first event id>`. */
  id: string;
  detector: DetectorName;
  /** The detector's rule that fired, e.g. `shell-in-agent`, `new-egress-with-volume`. */
  rule: string;
  severity: Severity;
  /** 0..1: how sure the detector is that this is what the explanation says. */
  confidence: number;
  time: string;
  /** Workload (`namespace/owner`) and pod (`namespace/name`) the signal is about, when known. */
  workload: string | null;
  pod: string | null;
  techniques: Technique[];
  /** One sentence, plain words, for the story step. */
  summary: string;
  /** Why the detector thinks so, plain words. */
  explanation: string;
  eventIds: string[];
  entities: EntityRef[];
  /**
   * Keys that join signals into stories: `pod:`, `tree:` (process tree), `identity:`, `data:`, `workload:`.
   * Internal to correlation but kept so an auditor can see why two signals were joined.
   */
  correlationKeys: string[];
}
