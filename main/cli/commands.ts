// Every `vigil` subcommand, in the order `vigil --help` lists them. Add a command by importing it here.
import type { Command } from './command.js';
import { serveCommand } from './commands/serve.js';
import { labCommand } from './commands/lab.js';
import { scenarioCommand } from './commands/scenario.js';
import { storiesCommand } from './commands/stories.js';
import { graphCommand } from './commands/graph.js';
import { aibomCommand } from './commands/aibom.js';
import { policyCommand } from './commands/policy.js';
import { eventsCommand } from './commands/events.js';
import { profileCommand } from './commands/profile.js';
import { contextsCommand } from './commands/contexts.js';
import { inventoryCommand } from './commands/inventory.js';
import { postureCommand } from './commands/posture.js';
import { quarantineCommand } from './commands/quarantine.js';
import { actionsCommand } from './commands/actions.js';
import { evidenceCommand } from './commands/evidence.js';
import { enforceCommand } from './commands/enforce.js';

export const commands: Command[] = [serveCommand, labCommand, scenarioCommand, eventsCommand, profileCommand, contextsCommand, inventoryCommand, postureCommand, quarantineCommand, enforceCommand, actionsCommand, storiesCommand, graphCommand, aibomCommand, policyCommand, evidenceCommand];
