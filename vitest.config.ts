// Unit tests (pure logic, fixtures) and integration tests (the real dockerd and libvirtd, one file at a time).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const resolve = { alias: { '@shared': fileURLToPath(new URL('./electron/shared', import.meta.url)) } };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          // Settings a test saves (a chosen endpoint) stay in this run's own folder, never the user's.
          env: { XDG_CONFIG_HOME: mkdtempSync(path.join(tmpdir(), 'isolab-test-config-')) },
          // One test file stops dockerd on purpose; the engines are shared state.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
