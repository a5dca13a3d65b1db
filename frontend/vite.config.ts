import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath, URL } from 'node:url'
import { resolve } from 'node:path'

// The desktop build embeds frontend/dist (see frontend/assets_embed.go); it is built,
// never committed.
const outDir = fileURLToPath(new URL('./dist', import.meta.url))

export default defineConfig({
  plugins: [vue()],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: { port: 34115, strictPort: false },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/__tests__/timers.setup.ts'],
    // Mounting a whole screen takes well under a second alone, but several seconds on a
    // busy 2-core machine (a CI run beside other builds): a timeout there is not a bug.
    testTimeout: 30000,
  },
})
