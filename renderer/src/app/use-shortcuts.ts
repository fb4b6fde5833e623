import { useEffect } from 'react';
import { viewRoutes, type ViewRoute } from './routes.js';

function typingIn(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}

/** Number keys 1–8 open the views; `?` toggles the shortcut help. Ignored while the user types in a field. */
export function useShortcuts(navigate: (id: ViewRoute['id']) => void, toggleHelp: () => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      const route = viewRoutes.find((r) => r.key === event.key);
      if (route) {
        event.preventDefault();
        navigate(route.id);
      } else if (event.key === '?') {
        event.preventDefault();
        toggleHelp();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, toggleHelp]);
}
