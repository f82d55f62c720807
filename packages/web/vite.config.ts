import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The portal serves the built app under /ui/ and the API at the root of the same origin. In
// development every path outside /ui/ is forwarded to a running portal (PORTAL_URL).
const portal = process.env.PORTAL_URL ?? 'http://127.0.0.1:8700';

export default defineConfig({
  base: '/ui/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate files stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler|cookie)[\\/]/ },
            { name: 'mantine', test: /node_modules[\\/](@mantine|@floating-ui|dayjs|clsx)[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '^/(?!ui(/|$)).*': { target: portal, changeOrigin: false },
    },
  },
});
