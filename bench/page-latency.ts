// How long an engine change made outside the app (docker CLI, virsh) takes to show on the open page: a row's
// data-state, checked on every frame. Shared by the benchmarks; Playwright only.
import type { Page } from '@playwright/test';

/** Starts watching the row's data-state; `window.stateChangedAt` is set (ms since epoch) when it next differs. */
async function watchRowState(page: Page, selector: string): Promise<void> {
  await page.evaluate((rowSelector) => {
    const before = document.querySelector(rowSelector)?.getAttribute('data-state');
    if (!before) throw new Error(`no row matches ${rowSelector}`);
    const record = window as unknown as { stateChangedAt?: number };
    delete record.stateChangedAt;
    // React may replace the row element, so it is looked up every frame. No named functions here: tsx's
    // name-keeping helper does not exist in the page.
    void (async () => {
      while (document.querySelector(rowSelector)?.getAttribute('data-state') === before) await new Promise((resolve) => requestAnimationFrame(resolve));
      record.stateChangedAt = Date.now();
    })();
  }, selector);
}

/** ms from just before `change` runs to the row at `selector` showing another state. */
export async function changeToPageMs(page: Page, selector: string, change: () => Promise<unknown>): Promise<number> {
  await watchRowState(page, selector);
  const started = Date.now();
  await change();
  const handle = await page.waitForFunction(() => (window as unknown as { stateChangedAt?: number }).stateChangedAt, undefined, { timeout: 10_000 });
  return ((await handle.jsonValue()) ?? started) - started;
}
