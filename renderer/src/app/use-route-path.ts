// The part of the hash after the view id: `#/stories/story-ab12` → ['story-ab12']. Views use it for deep links to one
// item; `openPath` changes it and leaves a history entry, so Back returns to the previous item.
import { useEffect, useState } from 'react';

function segmentsOf(hash: string): string[] {
  const path = hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return path.split('/').slice(1).filter(Boolean).map(decodeURIComponent);
}

export function useRoutePath(): string[] {
  const [segments, setSegments] = useState(() => segmentsOf(window.location.hash));
  useEffect(() => {
    const onChange = () => setSegments(segmentsOf(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return segments;
}

export function linkTo(view: string, ...segments: string[]): string {
  return `#/${[view, ...segments.map(encodeURIComponent)].join('/')}`;
}

export function openPath(view: string, ...segments: string[]): void {
  window.location.hash = linkTo(view, ...segments);
}
