// Light, dark, or the system's choice; remembered on this machine.
const KEY = 'vigil.theme';
export type ThemeChoice = 'light' | 'dark' | 'system';

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  // Canvas views (graph, timeline) read colours when they draw: tell them to draw again.
  window.dispatchEvent(new Event('vigil-theme'));
  try {
    localStorage.setItem(KEY, choice);
  } catch {
    // Storage may be unavailable (private windows); the theme still applies for this session.
  }
}

export function restoreTheme(): void {
  let saved: string | null;
  try {
    saved = localStorage.getItem(KEY);
  } catch {
    saved = null;
  }
  if (saved === 'light' || saved === 'dark') document.documentElement.dataset.theme = saved;
}
