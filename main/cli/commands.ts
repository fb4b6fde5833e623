// Every `vigil` subcommand, in the order `vigil --help` lists them. Add a command with one line here. Each is loaded
// only when it runs (or for `vigil --help`): a command's dependencies — the Kubernetes client alone takes most of a
// second to import — are not paid by the others, and `vigil --version` starts at Node's own speed.
import type { Command } from './command.js';

export interface CommandEntry {
  name: string;
  load(): Promise<Command>;
}

export const commands: CommandEntry[] = [
  { name: 'serve', load: async () => (await import('./commands/serve.js')).serveCommand },
  { name: 'lab', load: async () => (await import('./commands/lab.js')).labCommand },
  { name: 'scenario', load: async () => (await import('./commands/scenario.js')).scenarioCommand },
  { name: 'events', load: async () => (await import('./commands/events.js')).eventsCommand },
  { name: 'profile', load: async () => (await import('./commands/profile.js')).profileCommand },
  { name: 'contexts', load: async () => (await import('./commands/contexts.js')).contextsCommand },
  { name: 'inventory', load: async () => (await import('./commands/inventory.js')).inventoryCommand },
  { name: 'posture', load: async () => (await import('./commands/posture.js')).postureCommand },
  { name: 'quarantine', load: async () => (await import('./commands/quarantine.js')).quarantineCommand },
  { name: 'enforce', load: async () => (await import('./commands/enforce.js')).enforceCommand },
  { name: 'actions', load: async () => (await import('./commands/actions.js')).actionsCommand },
  { name: 'stories', load: async () => (await import('./commands/stories.js')).storiesCommand },
  { name: 'graph', load: async () => (await import('./commands/graph.js')).graphCommand },
  { name: 'aibom', load: async () => (await import('./commands/aibom.js')).aibomCommand },
  { name: 'policy', load: async () => (await import('./commands/policy.js')).policyCommand },
  { name: 'evidence', load: async () => (await import('./commands/evidence.js')).evidenceCommand },
];
