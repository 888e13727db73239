// Builds the Electron main process, the preload and the renderer into out/; needs no Electron binary.
// The same renderer build is what web mode serves.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const fromRoot = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const resolve = { alias: { '@shared': fromRoot('./electron/shared') } };

export default defineConfig({
  main: {
    resolve,
    build: {
      outDir: fromRoot('./out/main'),
      rollupOptions: { input: { index: fromRoot('./electron/main/index.ts') } },
    },
  },
  preload: {
    resolve,
    build: {
      outDir: fromRoot('./out/preload'),
      // A sandboxed preload can require only 'electron' and a few Node built-ins: no ES modules, no node_modules,
      // no other files. So: one self-contained CommonJS bundle.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: fromRoot('./electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
        // The preload takes only constants from the shared contract files; building their schemas has no side
        // effects, so zod and the schemas drop out of the bundle.
        treeshake: { manualPureFunctions: ['z', 'method', 'stream'] },
      },
    },
  },
  renderer: {
    root: fromRoot('./renderer'),
    resolve,
    plugins: [react()],
    build: {
      outDir: fromRoot('./out/renderer'),
      // electron-vite leaves the renderer unminified; web mode serves it over HTTP, where size is load time.
      minify: true,
      // Pages load from disk or loopback, so splitting costs little; what only one page needs (xterm.js, noVNC) is
      // split off by the dynamic imports of that page, and the rest stays one chunk.
      chunkSizeWarningLimit: 1024,
      rollupOptions: { input: fromRoot('./renderer/index.html') },
    },
  },
});
