import { useEffect, useState } from 'react';
import { routeFromHash, type ViewRoute } from './routes.js';

/** The current view from the URL hash (#/graph), so every view has a deep link and Back works. */
export function useHashRoute(): [ViewRoute, (id: ViewRoute['id']) => void] {
  const [route, setRoute] = useState(() => routeFromHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(routeFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return [route, (id) => (window.location.hash = `#/${id}`)];
}
