import { useEffect } from 'react';
import { viewRoutes, type ViewRoute } from './routes.js';

function typingIn(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}

export interface ShortcutActions {
  navigate(id: ViewRoute['id']): void;
  toggleHelp(): void;
  openPalette(): void;
  nextStory(): void;
}

/**
 * Number keys 1–8 open the views; `?` toggles the shortcut help; Ctrl/Cmd-K or `/` opens the command palette;
 * `n` opens the next story; `[` goes back. Single keys are ignored while the user types in a field.
 */
export function useShortcuts(actions: ShortcutActions): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        actions.openPalette();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      const route = viewRoutes.find((r) => r.key === event.key);
      const handled = (run: () => void) => {
        event.preventDefault();
        run();
      };
      if (route) handled(() => actions.navigate(route.id));
      else if (event.key === '?') handled(actions.toggleHelp);
      else if (event.key === '/') handled(actions.openPalette);
      else if (event.key === 'n') handled(actions.nextStory);
      else if (event.key === '[') handled(() => window.history.back());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);
}
