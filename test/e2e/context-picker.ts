// Choosing a cluster context in a view's picker. The contexts arrive once the host has probed them, so the option
// is waited for (a picker read once, too early, offers only the first context).
import { expect, type Locator } from '@playwright/test';

export async function pickContext(picker: Locator, name: string): Promise<void> {
  const valueOf = () => picker.locator('option').evaluateAll((options, wanted) => (options as HTMLOptionElement[]).find((o) => o.textContent!.startsWith(`${wanted} `))?.value, name);
  await expect.poll(valueOf, { message: `context ${name} is offered`, timeout: 30_000 }).toBeTruthy();
  await picker.selectOption((await valueOf())!);
}
