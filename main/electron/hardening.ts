// Every security decision of the desktop shell, in one place. Each line says why.
// References: Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security).
import { app, session, shell, type BrowserWindowConstructorOptions, type WebContents } from 'electron';
import { contentSecurityPolicy } from '../../shared/api/content-security-policy.js';

/** The only origin the workbench is loaded from (see app-protocol.ts). */
export const APP_ORIGIN = 'app://vigil';

export function secureWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true, // the page cannot reach the preload's scope or Electron internals
      sandbox: true, // the renderer process runs in Chromium's OS sandbox
      nodeIntegration: false, // no require() or process in the page
      nodeIntegrationInWorker: false, // the engine's Web Worker gets no Node either
      nodeIntegrationInSubFrames: false,
      webSecurity: true, // same-origin policy stays on
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false, // no <webview>: it could load remote content with other preferences
      navigateOnDragDrop: false, // dropping a file must not navigate the app away
      spellcheck: false, // the spellchecker would download dictionaries from the network
      safeDialogs: true,
    },
  };
}

/** Session-wide rules: deny every permission, add the CSP, refuse any request that is not the app itself. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  // Camera, microphone, notifications, geolocation, clipboard-read, HID, serial...: the workbench needs none.
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // The CSP is also sent by the app:// handler; this covers anything else a frame might load.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
  // The renderer never talks to the network itself: cluster and collector traffic goes through main.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = details.url.startsWith(`${APP_ORIGIN}/`) || details.url.startsWith('devtools://') || details.url.startsWith('blob:') || details.url.startsWith('data:');
    callback({ cancel: !allowed });
  });
}

/** Per-window rules: no navigation away from the app, no new windows; web links open in the system browser. */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) {
      event.preventDefault();
      openInSystemBrowser(url);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openInSystemBrowser(url);
    return { action: 'deny' };
  });
}

function openInSystemBrowser(url: string): void {
  // Only web links leave the app; file:, javascript:, custom schemes and the like are dropped.
  if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
}

/** One Vigil per user: a second launch focuses the first (it holds the case store and the signing key). */
export function acquireSingleInstance(onSecondInstance: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', onSecondInstance);
  return true;
}

// Fuses (flipped in the packaged binary by scripts/electron-fuses.cjs at packaging time):
// RunAsNode off, NODE_OPTIONS off, --inspect off, OnlyLoadAppFromAsar on, cookie encryption on,
// embedded asar integrity validation on.
