// The version shown by `vigil --version`, written into evidence bundles and the About box. Injected at build time
// from package.json so there is one source of truth.
declare const __VIGIL_VERSION__: string | undefined;
export const VIGIL_VERSION: string = typeof __VIGIL_VERSION__ === 'string' ? __VIGIL_VERSION__ : '0.0.0-dev';
