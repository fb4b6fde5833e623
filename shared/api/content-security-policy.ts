// The workbench's Content-Security-Policy, the same in Electron (app://) and in the browser host. No remote code,
// no inline script, no eval; connections only back to the origin that served the app. WebGL and workers for the
// graph and the engine come from the same origin ('self' and blob: for the worker bundle).
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
