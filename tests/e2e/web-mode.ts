// A Playwright fixture that runs the built web mode for the worker's tests.
import { test as base } from '@playwright/test';
import { startWebMode, stopWebMode, type WebMode } from '../helpers/web-mode-process';

export const test = base.extend<object, { webMode: WebMode }>({
  webMode: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured.
    async ({}, use) => {
      const webMode = await startWebMode();
      await use(webMode);
      await stopWebMode(webMode);
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
