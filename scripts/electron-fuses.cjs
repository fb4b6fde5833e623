// electron-builder afterPack hook: flips Electron's fuses in the packaged binary. Fuses are bits compiled into the
// Electron executable; flipping them removes whole attack surfaces that a desktop security tool does not need.
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

module.exports = async function flipVigilFuses(context) {
  const { electronPlatformName, appOutDir, packager } = context;
  const name = packager.appInfo.productFilename;
  const executable = {
    darwin: path.join(appOutDir, `${name}.app`),
    win32: path.join(appOutDir, `${name}.exe`),
    linux: path.join(appOutDir, packager.executableName ?? name),
  }[electronPlatformName];
  await flipFuses(executable, {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: electronPlatformName === 'darwin',
    // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node interpreter.
    [FuseV1Options.RunAsNode]: false,
    // NODE_OPTIONS could inject code into the main process from the environment.
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    // --inspect would let a local process attach a debugger to the process that holds the signing key.
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // Load the app only from the (integrity-checked) asar, never from a loose folder planted beside it.
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    // Cookies on disk are encrypted with the OS keychain.
    [FuseV1Options.EnableCookieEncryption]: true,
    // file:// gets no extra privileges: the workbench uses app://.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  });
};
