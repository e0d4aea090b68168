import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is built once and served as static files by both shells:
// Electron loads it from disk (hence the relative base), the preview over HTTP.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
  },
});
