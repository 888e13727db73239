// How tests and benchmarks start Debian's Chromium (never a browser downloaded by Playwright).
export const chromiumPath = process.env.ISOLAB_CHROMIUM ?? '/usr/bin/chromium';

/** Without the networking flags Chromium keeps dialling hosts this machine cannot reach. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
