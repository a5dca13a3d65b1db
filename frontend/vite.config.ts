import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath, URL } from 'node:url'
import { writeFileSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'

const outDir = fileURLToPath(new URL('./dist', import.meta.url))

// WAILSJS_DIR points the "../wailsjs" imports of src/backend.ts at another folder, for a
// build made before the Go side generated frontend/wailsjs (a temporary stub outside the
// repository). Unset, the generated bindings are used.
const wailsjsDir = process.env.WAILSJS_DIR

export default defineConfig({
  plugins: [
    vue(),
    {
      // The Go side embeds frontend/dist; vite empties it on each build, so put back
      // the placeholder that keeps the folder in git.
      name: 'keep-dist-gitkeep',
      closeBundle() {
        mkdirSync(outDir, { recursive: true })
        writeFileSync(resolve(outDir, '.gitkeep'), '')
      },
    },
  ],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  resolve: {
    alias: wailsjsDir
      ? [{ find: /^\.\.\/wailsjs\/(.*)$/, replacement: resolve(wailsjsDir) + '/$1' }]
      : [],
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
  },
})
