// The desktop app's main process: one hardened window on app://vigil, the gateway bridged over IPC.
import { app, BrowserWindow } from 'electron';
import path from 'node:path';
import { acquireSingleInstance, hardenSession, lockDownContents, secureWindowOptions, APP_ORIGIN } from './hardening.js';
import { registerAppSchemeAsPrivileged, serveAppProtocol } from './app-protocol.js';
import { bridgeGatewayToIpc } from './ipc-bridge.js';
import { createAppGateway } from '../gateway/app-gateway.js';

// dist/main/electron-main.cjs → dist/main/preload.cjs and dist/renderer/
const distDir = path.resolve(__dirname, '..');
let mainWindow: BrowserWindow | null = null;

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Vigil',
    show: false,
    ...secureWindowOptions(path.join(distDir, 'main', 'preload.cjs')),
  });
  lockDownContents(mainWindow.webContents);
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

if (!acquireSingleInstance(() => {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
})) {
  app.quit();
} else {
  registerAppSchemeAsPrivileged();
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
  void app.whenReady().then(() => {
    hardenSession();
    serveAppProtocol(path.join(distDir, 'renderer'));
    bridgeGatewayToIpc(createAppGateway({ host: 'electron', readOnly: false }));
    createWindow();
    app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
