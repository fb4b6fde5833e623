import { useEffect, useRef } from 'react';
import { viewRoutes } from './routes.js';

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div id="shortcut-help" role="dialog" aria-modal="true" aria-labelledby="shortcut-title" className="dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="shortcut-title">Keyboard shortcuts</h2>
        <table>
          <tbody>
            {viewRoutes.map((r) => (
              <tr key={r.id}>
                <td><kbd>{r.key}</kbd></td>
                <td>Open {r.label}</td>
              </tr>
            ))}
            <tr><td><kbd>↑</kbd> <kbd>↓</kbd></td><td>Move between views in the sidebar</td></tr>
            <tr><td><kbd>Ctrl</kbd>/<kbd>⌘</kbd> <kbd>K</kbd>, <kbd>/</kbd></td><td>Command palette: find a view, story, entity, event</td></tr>
            <tr><td><kbd>n</kbd></td><td>Open the next story (most severe first)</td></tr>
            <tr><td><kbd>[</kbd></td><td>Back to where you were</td></tr>
            <tr><td><kbd>?</kbd></td><td>Show or hide this help</td></tr>
            <tr><td><kbd>Esc</kbd></td><td>Close a dialog</td></tr>
          </tbody>
        </table>
        <button ref={closeRef} type="button" onClick={onClose}>Close</button>
      </div>
    </div>
  );
}
