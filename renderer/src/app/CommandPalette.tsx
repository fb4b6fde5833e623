// The command palette (Ctrl/Cmd-K, or / to search): type to find a view, a story, an entity or an action; Enter opens
// it. "Search events" looks through the whole text of every event of the case.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RuntimeEvent } from '../../../shared/model/event.js';
import { useCase } from '../case/case-context.js';
import { engineClient } from '../engine/engine-client.js';
import { describeEvent } from '../views/common/describe-event.js';
import { paletteCommands, type PaletteCommand } from './palette-commands.js';
import { applyTheme } from './theme.js';

export function CommandPalette({ onClose, onImport }: { onClose(): void; onImport(): void }) {
  const { analysis, status } = useCase();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [events, setEvents] = useState<RuntimeEvent[] | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const commands = useMemo(() => paletteCommands(query, analysis), [query, analysis]);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    setActive(0);
    setEvents(null);
  }, [query]);

  const run = (command: PaletteCommand) => {
    onClose();
    if (command.href) window.location.hash = command.href;
    else if (command.action === 'import') onImport();
    else if (command.action === 'theme-dark') applyTheme('dark');
    else if (command.action === 'theme-light') applyTheme('light');
    else if (command.action === 'theme-system') applyTheme('system');
  };
  const searchEvents = () => {
    if (status !== 'open' || query.trim().length < 2) return;
    void engineClient().request({ type: 'search-events', text: query.trim(), limit: 30 }).then(setEvents, () => setEvents([]));
  };

  const onKey = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') onClose();
    else if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((a) => Math.min(commands.length - 1, a + 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const command = commands[active];
      if (command) run(command);
      else searchEvents();
    }
  };

  return (
    <div className="dialog-backdrop palette-backdrop" onClick={onClose}>
      <div className="dialog palette" role="dialog" aria-modal="true" aria-label="Command palette" onClick={(e) => e.stopPropagation()} onKeyDown={onKey}>
        <input
          ref={input}
          className="palette-input"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={commands[active] ? `palette-${active}` : undefined}
          aria-label="Find a view, story, entity or action"
          placeholder="Find a view, story, entity or action…"
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
        />
        <ul id="palette-list" role="listbox" className="palette-list" aria-label="Matches">
          {commands.map((command, index) => (
            <li
              key={command.id}
              id={`palette-${index}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'active' : undefined}
              onMouseEnter={() => setActive(index)}
              onClick={() => run(command)}
            >
              <span className="palette-group">{command.group}</span> {command.label}
              {command.detail ? <span className="muted palette-detail"> {command.detail}</span> : null}
            </li>
          ))}
        </ul>
        {status === 'open' && query.trim().length >= 2 ? (
          <div className="palette-events">
            <button type="button" className="ghost small" onClick={searchEvents}>Search events for “{query.trim()}”</button>
            {events ? (
              events.length ? (
                <ul className="plain-list" aria-label="Matching events" tabIndex={0}>
                  {events.map((e) => (
                    <li key={e.id}>
                      <time dateTime={e.time}>{e.time.slice(11, 23)}</time> <span className="event-kind">{e.kind}</span> {describeEvent(e)} <code className="muted">{e.id}</code>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">No event contains “{query.trim()}”.</p>
              )
            ) : null}
          </div>
        ) : null}
        <p className="muted palette-help"><kbd>↑</kbd> <kbd>↓</kbd> choose · <kbd>Enter</kbd> open · <kbd>Esc</kbd> close</p>
      </div>
    </div>
  );
}
