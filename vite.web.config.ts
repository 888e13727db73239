// Builds web mode's Node server (out/web/cli.js): the backend plus HTTP and the RPC WebSocket.
// Dependencies stay external and load from node_modules at run time.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const fromRoot = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  resolve: { alias: { '@shared': fromRoot('./electron/shared') } },
  build: {
    ssr: fromRoot('./electron/web/cli.ts'),
    outDir: fromRoot('./out/web'),
    target: 'node20',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { output: { format: 'es', entryFileNames: 'cli.js' } },
  },
});
