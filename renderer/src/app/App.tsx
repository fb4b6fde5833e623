import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { viewRoutes } from './routes.js';
import { viewComponents } from './views.js';
import { useHashRoute } from './use-hash-route.js';
import { useShortcuts } from './use-shortcuts.js';
import { useAppInfo } from './use-app-info.js';
import { ShortcutHelp } from './ShortcutHelp.js';
import { CaseBar } from '../case/CaseBar.js';
import { CommandPalette } from './CommandPalette.js';
import { useCase } from '../case/case-context.js';
import { compareStories } from '../views/stories/story-order.js';
import { linkTo } from './use-route-path.js';

export function App() {
  const [route] = useHashRoute();
  const [helpOpen, setHelpOpen] = useState(false);
  const toggleHelp = useCallback(() => setHelpOpen((open) => !open), []);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const { analysis } = useCase();
  const stories = useMemo(() => (analysis?.status === 'ready' ? [...analysis.stories].sort(compareStories) : []), [analysis]);
  const nextStory = useCallback(() => {
    if (!stories.length) return;
    const current = window.location.hash.match(/^#\/stories\/([^/?]+)/)?.[1];
    const index = current ? stories.findIndex((s) => s.id === decodeURIComponent(current)) : -1;
    window.location.hash = linkTo('stories', stories[(index + 1) % stories.length]!.id);
  }, [stories]);
  const shortcutActions = useMemo(
    () => ({ navigate: (id: typeof route.id) => (window.location.hash = `#/${id}`), toggleHelp, openPalette: () => setPaletteOpen(true), nextStory }),
    [toggleHelp, nextStory],
  );
  useShortcuts(shortcutActions);
  const appInfo = useAppInfo();
  const mainRef = useRef<HTMLElement>(null);
  const View = viewComponents[route.id];

  useEffect(() => {
    document.title = `${route.label} — Vigil`;
  }, [route]);

  // Up/Down move between the navigation links, like a menu; Tab leaves the list.
  const onNavKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const links = Array.from(event.currentTarget.querySelectorAll('a'));
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next = links[(index + (event.key === 'ArrowDown' ? 1 : links.length - 1)) % links.length];
    next?.focus();
  };

  return (
    <div className="frame">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand" aria-label="Vigil">
          <span className="brand-mark" aria-hidden="true">◆</span> Vigil
        </span>
        <CaseBar />
        <span className="topbar-status" role="status">
          {appInfo.status === 'ready' && (
            <>
              {appInfo.info.readOnly ? <span className="badge badge-readonly">read-only</span> : null}
              <span className="muted">
                {appInfo.info.host === 'browser' ? 'browser host' : 'desktop'} · v{appInfo.info.version}
              </span>
            </>
          )}
          {appInfo.status === 'error' && <span className="badge badge-error">main unreachable: {appInfo.message}</span>}
        </span>
        <button type="button" className="ghost" onClick={toggleHelp} aria-expanded={helpOpen} aria-controls="shortcut-help">
          Shortcuts <kbd>?</kbd>
        </button>
      </header>
      <nav className="sidebar" aria-label="Views">
        <ul onKeyDown={onNavKey}>
          {viewRoutes.map((r) => (
            <li key={r.id}>
              <a href={`#/${r.id}`} aria-current={r.id === route.id ? 'page' : undefined} title={`${r.description} (${r.key})`}>
                <span className="nav-label">{r.label}</span>
                <kbd aria-hidden="true">{r.key}</kbd>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1} className="content" aria-labelledby="view-title">
        <div className="view-header">
          <h1 id="view-title" className="view-title">
            {route.label}
          </h1>
          <span className="view-description muted">{route.description}</span>
        </div>
        <View />
      </main>
      {helpOpen ? <ShortcutHelp onClose={() => setHelpOpen(false)} /> : null}
      {paletteOpen ? (
        <CommandPalette
          onClose={() => setPaletteOpen(false)}
          onImport={() => document.querySelector<HTMLInputElement>('[data-testid=import-events]')?.click()}
        />
      ) : null}
    </div>
  );
}
