// The technique catalogue detectors cite: MITRE ATT&CK, MITRE ATLAS, OWASP Top 10 for LLM Applications 2025 and
// OWASP Top 10 for Agentic Applications (2026). Ids and names as those frameworks publish them.
import type { Technique } from '../model/signal.js';

const catalogue = {
  unixShell: { framework: 'attack', id: 'T1059.004', name: 'Command and Scripting Interpreter: Unix Shell' },
  credentialsInFiles: { framework: 'attack', id: 'T1552.001', name: 'Unsecured Credentials: Credentials In Files' },
  privateKeys: { framework: 'attack', id: 'T1552.004', name: 'Unsecured Credentials: Private Keys' },
  containerApi: { framework: 'attack', id: 'T1552.007', name: 'Unsecured Credentials: Container API' },
  stealAccessToken: { framework: 'attack', id: 'T1528', name: 'Steal Application Access Token' },
  shadowFile: { framework: 'attack', id: 'T1003.008', name: 'OS Credential Dumping: /etc/passwd and /etc/shadow' },
  containerDiscovery: { framework: 'attack', id: 'T1613', name: 'Container and Resource Discovery' },
  exfilWebService: { framework: 'attack', id: 'T1567', name: 'Exfiltration Over Web Service' },
  exfilAlternativeProtocol: { framework: 'attack', id: 'T1048', name: 'Exfiltration Over Alternative Protocol' },
  dnsProtocol: { framework: 'attack', id: 'T1071.004', name: 'Application Layer Protocol: DNS' },
  escapeToHost: { framework: 'attack', id: 'T1611', name: 'Escape to Host' },
  ptraceInjection: { framework: 'attack', id: 'T1055.008', name: 'Process Injection: Ptrace System Calls' },
  resourceHijacking: { framework: 'attack', id: 'T1496', name: 'Resource Hijacking' },
  ingressToolTransfer: { framework: 'attack', id: 'T1105', name: 'Ingress Tool Transfer' },
  fileDiscovery: { framework: 'attack', id: 'T1083', name: 'File and Directory Discovery' },
  exploitPublicFacing: { framework: 'attack', id: 'T1190', name: 'Exploit Public-Facing Application' },
  llmDataLeakage: { framework: 'atlas', id: 'AML.T0057', name: 'LLM Data Leakage' },
  indirectInjection: { framework: 'atlas', id: 'AML.T0051.001', name: 'LLM Prompt Injection: Indirect' },
  pluginCompromise: { framework: 'atlas', id: 'AML.T0053', name: 'LLM Plugin Compromise' },
  atlasUnsecuredCredentials: { framework: 'atlas', id: 'AML.T0055', name: 'Unsecured Credentials' },
  exfilCyber: { framework: 'atlas', id: 'AML.T0025', name: 'Exfiltration via Cyber Means' },
  llmPromptInjection: { framework: 'owasp-llm', id: 'LLM01:2025', name: 'Prompt Injection' },
  llmSensitiveDisclosure: { framework: 'owasp-llm', id: 'LLM02:2025', name: 'Sensitive Information Disclosure' },
  llmSupplyChain: { framework: 'owasp-llm', id: 'LLM03:2025', name: 'Supply Chain' },
  llmImproperOutput: { framework: 'owasp-llm', id: 'LLM05:2025', name: 'Improper Output Handling' },
  llmExcessiveAgency: { framework: 'owasp-llm', id: 'LLM06:2025', name: 'Excessive Agency' },
  llmUnboundedConsumption: { framework: 'owasp-llm', id: 'LLM10:2025', name: 'Unbounded Consumption' },
  agentGoalHijack: { framework: 'owasp-agentic', id: 'ASI01', name: 'Agent Goal Hijack' },
  agentToolMisuse: { framework: 'owasp-agentic', id: 'ASI02', name: 'Tool Misuse and Exploitation' },
  agentIdentityAbuse: { framework: 'owasp-agentic', id: 'ASI03', name: 'Identity and Privilege Abuse' },
  agentSupplyChain: { framework: 'owasp-agentic', id: 'ASI04', name: 'Agentic Supply Chain Vulnerabilities' },
  agentCodeExecution: { framework: 'owasp-agentic', id: 'ASI05', name: 'Unexpected Code Execution (RCE)' },
  rogueAgents: { framework: 'owasp-agentic', id: 'ASI10', name: 'Rogue Agents' },
} as const satisfies Record<string, Technique>;

export type TechniqueName = keyof typeof catalogue;

export function techniques(...names: TechniqueName[]): Technique[] {
  return names.map((n) => catalogue[n]);
}

export function allTechniques(): Technique[] {
  return Object.values(catalogue);
}
