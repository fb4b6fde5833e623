// The rule table of the scripted model: how one clause of a user's task turns into one tool call.
// A task is split into clauses ("research X using document Y, then post the summary to Z"); each clause is
// matched against these rules in order, and the first rule whose pattern matches and whose tool the client offers
// decides the call. Deterministic on purpose: the same conversation always gets the same answer.

export interface PlannedCall {
  /** Rule name, for logs and tests. */
  rule: string;
  name: string;
  arguments: Record<string, unknown>;
}

interface ClauseRule {
  rule: string;
  pattern: RegExp;
  /** Tool names in order of preference; the first one the client offers is used. */
  tools: string[];
  args(match: RegExpMatchArray, tool: string): Record<string, unknown>;
}

const URL_TEXT = String.raw`(https?:\/\/[^\s,;'"]+?)`;

const clauseRules: ClauseRule[] = [
  {
    rule: 'research-document',
    pattern: new RegExp(String.raw`research\s+(.+?)\s+using\s+(?:the\s+)?document\s+(?:at\s+)?${URL_TEXT}\.?$`, 'i'),
    tools: ['fetch_url'],
    args: (m) => ({ url: m[2] }),
  },
  {
    rule: 'weather-lookup',
    pattern: /weather\s+(?:in|for)\s+([A-Za-z][A-Za-z .'-]*?)\s*[?.!]?$/i,
    tools: ['get_weather', 'fetch_url'],
    args: (m, tool) =>
      tool === 'get_weather' ? { city: m[1] } : { url: `https://api.weather.example/v1/current?city=${encodeURIComponent(m[1] ?? '')}` },
  },
  {
    rule: 'search-notes',
    pattern: /(?:check|search)\s+(?:my|the)\s+notes\s+(?:for|about)\s+(.+?)\.?$/i,
    tools: ['notes__search_notes'],
    args: (m) => ({ query: m[1] }),
  },
  {
    rule: 'list-shared-files',
    pattern: /list\s+(?:the\s+)?(?:shared\s+)?files(?:\s+in\s+(\S+?))?(?:\s+(?:on|using|with|via)\s+the\s+files?\s+server)?\.?$/i,
    tools: ['files__list_directory'],
    args: (m) => ({ path: m[1] ?? '.' }),
  },
  {
    rule: 'read-shared-file',
    pattern: /(?:using|with|via|on)\s+the\s+files?\s+server,?\s+read\s+(?:the\s+file\s+)?(\S+?)\.?$/i,
    tools: ['files__read_file'],
    args: (m) => ({ path: m[1] }),
  },
  {
    rule: 'read-local-file',
    pattern: /read\s+(?:the\s+)?(?:local\s+)?file\s+(\S+?)\.?$/i,
    tools: ['read_file', 'notes__read_note'],
    args: (m) => ({ path: m[1] }),
  },
  {
    rule: 'host-health',
    pattern: /check\s+(?:the\s+)?(?:host|system|service)\s+(?:health|status)/i,
    tools: ['shell__run_command', 'run_shell'],
    args: (_m, tool) => (tool === 'run_shell' ? { command: 'uptime && df -h /' } : { command: 'uptime' }),
  },
  {
    rule: 'run-command',
    pattern: /run\s+(?:the\s+)?(?:command|shell)\s+`([^`]+)`/i,
    tools: ['run_shell', 'shell__run_command'],
    args: (m) => ({ command: m[1] }),
  },
  {
    rule: 'post-summary',
    pattern: new RegExp(String.raw`(?:post|send|upload)\s+(?:the\s+|a\s+)?(?:summary|report|result)s?\s+to\s+${URL_TEXT}\.?$`, 'i'),
    tools: ['http_post'],
    // The body is filled by the engine with what the earlier steps found.
    args: (m) => ({ url: m[1] }),
  },
];

/** Splits a task into clauses at "then" / "and then" / ";" / newlines, never inside a `quoted command`. */
export function splitClauses(task: string): string[] {
  const quoted: string[] = [];
  const masked = task.replace(/`[^`]*`/g, (span) => `\u0000${quoted.push(span) - 1}\u0000`);
  return masked
    .split(/\s*(?:,?\s+and\s+then\s+|,?\s+then\s+|;|\n)\s*/i)
    .map((c) => c.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => quoted[Number(i)]!).trim())
    .filter((c) => c.length > 0);
}

/** The call one clause asks for, given the tools on offer; undefined when no rule fits. */
export function planClause(clause: string, offeredTools: string[]): PlannedCall | undefined {
  for (const rule of clauseRules) {
    const match = clause.match(rule.pattern);
    if (!match) continue;
    const tool = rule.tools.find((t) => offeredTools.includes(t));
    if (!tool) continue;
    return { rule: rule.rule, name: tool, arguments: rule.args(match, tool) };
  }
  return undefined;
}

export function planTask(task: string, offeredTools: string[]): PlannedCall[] {
  return splitClauses(task)
    .map((clause) => planClause(clause, offeredTools))
    .filter((c): c is PlannedCall => c !== undefined);
}
