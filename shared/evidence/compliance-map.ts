// An indicative mapping from what an incident shows (the techniques its stories cite, the responder actions taken)
// to the controls an auditor checks: CIS Kubernetes Benchmark, NSA/CISA Kubernetes Hardening Guide, SOC 2 (2017
// Trust Services Criteria), PCI DSS v4.0 and the HIPAA Security Rule. It points the auditor at the controls
// involved; it does not claim that a control passed or failed. Control titles are paraphrased from each framework.

export type Framework = 'CIS Kubernetes Benchmark' | 'NSA/CISA Kubernetes Hardening Guide' | 'SOC 2' | 'PCI DSS v4.0' | 'HIPAA Security Rule';

export interface Control {
  framework: Framework;
  id: string;
  title: string;
}

export interface ControlFinding extends Control {
  /** Why this control is involved: the themes that led to it. */
  because: string[];
}

type Theme = 'credential access' | 'container escape' | 'exfiltration and egress' | 'AI agent misuse' | 'resource hijacking' | 'discovery' | 'incident response' | 'containment';

const THEME_CONTROLS: Record<Theme, Control[]> = {
  'credential access': [
    { framework: 'CIS Kubernetes Benchmark', id: '5.1.6', title: 'Service account tokens are only mounted where necessary' },
    { framework: 'CIS Kubernetes Benchmark', id: '5.1.2', title: 'Minimize access to secrets' },
    { framework: 'NSA/CISA Kubernetes Hardening Guide', id: 'Authentication and authorization', title: 'Least privilege for users and service accounts; disable unneeded service-account tokens' },
    { framework: 'SOC 2', id: 'CC6.1', title: 'Logical access security over protected information assets' },
    { framework: 'SOC 2', id: 'CC6.3', title: 'Access is authorized, modified or removed on least privilege' },
    { framework: 'PCI DSS v4.0', id: '7.2', title: 'Access to system components and data is appropriately defined and assigned' },
    { framework: 'HIPAA Security Rule', id: '164.312(a)(1)', title: 'Access control' },
  ],
  'container escape': [
    { framework: 'CIS Kubernetes Benchmark', id: '5.2', title: 'Pod Security Standards: minimize privileged containers, host namespaces and added capabilities' },
    { framework: 'NSA/CISA Kubernetes Hardening Guide', id: 'Kubernetes Pod security', title: 'Non-root, immutable containers; seccomp and AppArmor/SELinux profiles' },
    { framework: 'SOC 2', id: 'CC6.8', title: 'Controls prevent or detect unauthorized or malicious software' },
    { framework: 'PCI DSS v4.0', id: '2.2', title: 'System components are configured and managed securely' },
    { framework: 'HIPAA Security Rule', id: '164.308(a)(5)(ii)(B)', title: 'Protection from malicious software' },
  ],
  'exfiltration and egress': [
    { framework: 'CIS Kubernetes Benchmark', id: '5.3.2', title: 'All namespaces have network policies defined' },
    { framework: 'NSA/CISA Kubernetes Hardening Guide', id: 'Network separation and hardening', title: 'Network policies restrict pod traffic; default deny' },
    { framework: 'SOC 2', id: 'CC6.6', title: 'Logical access security against threats from outside system boundaries' },
    { framework: 'SOC 2', id: 'CC6.7', title: 'Transmission and movement of information is restricted to authorized parties' },
    { framework: 'PCI DSS v4.0', id: '1.3', title: 'Network access to and from the cardholder data environment is restricted' },
    { framework: 'HIPAA Security Rule', id: '164.312(e)(1)', title: 'Transmission security' },
  ],
  'AI agent misuse': [
    { framework: 'SOC 2', id: 'CC7.1', title: 'Detection of configuration changes and newly discovered vulnerabilities' },
    { framework: 'SOC 2', id: 'CC8.1', title: 'Changes to infrastructure and software are authorized, tested and approved' },
    { framework: 'PCI DSS v4.0', id: '6.2', title: 'Bespoke and custom software is developed securely' },
    { framework: 'HIPAA Security Rule', id: '164.308(a)(1)(ii)(A)', title: 'Risk analysis' },
  ],
  'resource hijacking': [
    { framework: 'SOC 2', id: 'A1.1', title: 'Processing capacity is monitored to meet availability objectives' },
    { framework: 'SOC 2', id: 'CC6.8', title: 'Controls prevent or detect unauthorized or malicious software' },
    { framework: 'PCI DSS v4.0', id: '5.2', title: 'Malicious software is prevented, or detected and addressed' },
  ],
  discovery: [
    { framework: 'CIS Kubernetes Benchmark', id: '5.1.3', title: 'Minimize wildcard use in Roles and ClusterRoles' },
    { framework: 'SOC 2', id: 'CC6.3', title: 'Access is authorized, modified or removed on least privilege' },
  ],
  'incident response': [
    { framework: 'CIS Kubernetes Benchmark', id: '3.2.1', title: 'A minimal audit policy is created' },
    { framework: 'NSA/CISA Kubernetes Hardening Guide', id: 'Audit logging and threat detection', title: 'Audit logs, runtime monitoring and alerting' },
    { framework: 'SOC 2', id: 'CC7.2', title: 'System components are monitored for anomalies indicative of malicious acts' },
    { framework: 'SOC 2', id: 'CC7.3', title: 'Security events are evaluated to determine whether they are incidents' },
    { framework: 'PCI DSS v4.0', id: '10.2', title: 'Audit logs capture user activity and security events' },
    { framework: 'PCI DSS v4.0', id: '11.5', title: 'Network intrusions and unexpected file changes are detected and responded to' },
    { framework: 'HIPAA Security Rule', id: '164.312(b)', title: 'Audit controls' },
  ],
  containment: [
    { framework: 'SOC 2', id: 'CC7.4', title: 'Security incidents are responded to: contained, remediated and communicated' },
    { framework: 'PCI DSS v4.0', id: '12.10', title: 'Suspected and confirmed security incidents are responded to immediately' },
    { framework: 'HIPAA Security Rule', id: '164.308(a)(6)(ii)', title: 'Security incident procedures: response and reporting' },
    { framework: 'CIS Kubernetes Benchmark', id: '5.3.2', title: 'All namespaces have network policies defined' },
  ],
};

const TECHNIQUE_THEMES: [RegExp, Theme][] = [
  [/^(T1552(\.\d+)?|T1528|T1003\.008|AML\.T0055|ASI03)$/, 'credential access'],
  [/^(T1611|T1055\.008|ASI05)$/, 'container escape'],
  [/^(T1567|T1048|T1071\.004|T1105|AML\.T0025|AML\.T0057|LLM02:2025)$/, 'exfiltration and egress'],
  [/^(AML\.T0051(\.\d+)?|AML\.T0053|LLM\d\d:2025|ASI\d\d)$/, 'AI agent misuse'],
  [/^T1496$/, 'resource hijacking'],
  [/^(T1613|T1083)$/, 'discovery'],
];

export function themesOf(techniques: readonly string[], actionKinds: readonly string[]): Theme[] {
  const themes = new Set<Theme>();
  for (const technique of techniques) for (const [pattern, theme] of TECHNIQUE_THEMES) if (pattern.test(technique)) themes.add(theme);
  if (techniques.length > 0 || actionKinds.length > 0) themes.add('incident response');
  if (actionKinds.some((kind) => kind.startsWith('quarantine.'))) themes.add('containment');
  return [...themes];
}

/** The controls involved, one row per control, with the themes that brought each in; ordered by framework. */
export function controlsInvolved(techniques: readonly string[], actionKinds: readonly string[]): ControlFinding[] {
  const byKey = new Map<string, ControlFinding>();
  for (const theme of themesOf(techniques, actionKinds)) {
    for (const control of THEME_CONTROLS[theme]) {
      const key = `${control.framework}|${control.id}`;
      const existing = byKey.get(key);
      if (!existing) byKey.set(key, { ...control, because: [theme] });
      else if (!existing.because.includes(theme)) existing.because.push(theme);
    }
  }
  const order: Framework[] = ['CIS Kubernetes Benchmark', 'NSA/CISA Kubernetes Hardening Guide', 'SOC 2', 'PCI DSS v4.0', 'HIPAA Security Rule'];
  return [...byKey.values()].sort((a, b) => order.indexOf(a.framework) - order.indexOf(b.framework) || a.id.localeCompare(b.id, 'en', { numeric: true }));
}

export interface IncidentFigures {
  /** Time of the earliest step of any story: the first evidence of the attack. */
  firstAttackEvidence: string | null;
  /** Time of the first quarantine the responder applied. */
  firstContainment: string | null;
  /** Milliseconds from the first attack evidence to the first containment. */
  timeToContainMs: number | null;
}

export function incidentFigures(stepTimes: readonly string[], actions: readonly { action: string; time: string; outcome: string }[]): IncidentFigures {
  const first = [...stepTimes].sort()[0] ?? null;
  const contained = actions
    .filter((a) => (a.action === 'quarantine.soft' || a.action === 'quarantine.hard') && (a.outcome === 'applied' || a.outcome === 'unchanged'))
    .map((a) => a.time)
    .sort()[0] ?? null;
  const ms = first && contained ? Date.parse(contained) - Date.parse(first) : null;
  return { firstAttackEvidence: first, firstContainment: contained, timeToContainMs: ms !== null && Number.isFinite(ms) ? ms : null };
}
