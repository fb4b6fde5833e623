// Where the suite's `vigil serve` listens (set by global-setup.ts).
export function hostUrls() {
  const url = process.env.VIGIL_URL;
  const token = process.env.VIGIL_TOKEN;
  const openUrl = process.env.VIGIL_OPEN_URL;
  if (!url || !token || !openUrl) throw new Error('VIGIL_URL/VIGIL_TOKEN are not set: run through playwright.config.ts');
  return { url, token, openUrl };
}
