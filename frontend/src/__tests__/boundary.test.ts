// Only the Pinia stores call the backend. backend.ts, the one wrapper of the Wails
// runtime, is imported by the stores alone; the generated bindings (../wailsjs) by
// backend.ts alone, except the generated models' types, which types.ts derives the UI's
// types from. Components, views and composables reach the backend through a store.
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const SRC = resolve(__dirname, '..')
const BACKEND = join(SRC, 'backend')
const WAILSJS = resolve(SRC, '..', 'wailsjs')

interface Source {
  /** The path under src/, with "/" separators. */
  path: string
  text: string
}

interface Import {
  spec: string
  typeOnly: boolean
}

// Static imports and re-exports (`import … from '…'`, `export … from '…'`, `import '…'`)
// and dynamic ones (`import('…')`).
const IMPORT = /\b(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g

function imports(text: string): Import[] {
  return [...text.matchAll(IMPORT)].map((m) => ({ spec: m[3] ?? m[4], typeOnly: !!m[2] }))
}

/** violations lists each import that crosses the boundary, as "file → import". */
function violations(files: Source[]): string[] {
  const out: string[] = []
  for (const f of files) {
    const dir = dirname(join(SRC, f.path))
    for (const imp of imports(f.text)) {
      if (!imp.spec.startsWith('.')) continue
      const target = resolve(dir, imp.spec).replace(/\.(ts|js)$/, '')
      const isStore = /^stores\/[^/]+\.ts$/.test(f.path)
      if (target === BACKEND && !isStore) out.push(`${f.path} → ${imp.spec}`)
      if (target === WAILSJS || target.startsWith(WAILSJS + '/')) {
        const typesOfModels =
          imp.typeOnly && target === join(WAILSJS, 'go', 'models') && /^types(\.check)?\.ts$/.test(f.path)
        if (f.path !== 'backend.ts' && !typesOfModels) out.push(`${f.path} → ${imp.spec}`)
      }
    }
  }
  return out
}

function sources(dir: string): Source[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return name === '__tests__' ? [] : sources(p)
    if (!/\.(vue|ts)$/.test(name)) return []
    return [{ path: relative(SRC, p).split('\\').join('/'), text: readFileSync(p, 'utf8') }]
  })
}

describe('the backend boundary', () => {
  const all = sources(SRC)

  it('is crossed by the stores only (and the wrapper by the bindings only)', () => {
    expect(violations(all)).toEqual([])
  })

  it('sees the imports it guards: every store imports the wrapper', () => {
    const stores = all.filter((f) => f.path.startsWith('stores/'))
    const wrapperUsers = stores.filter((f) => imports(f.text).some((i) => i.spec === '../backend'))
    expect(wrapperUsers.length).toBeGreaterThanOrEqual(7)
    expect(all.some((f) => f.path.startsWith('components/') && f.path.endsWith('.vue'))).toBe(true)
    expect(all.some((f) => f.path.startsWith('views/'))).toBe(true)
  })

  it('refuses a component, a view or a composable that reaches the backend', () => {
    const bad: Source[] = [
      { path: 'components/files/X.vue', text: "<script setup lang=\"ts\">\nimport * as backend from '../../backend'\n</script>" },
      { path: 'views/Y.vue', text: "import { openFile } from '../backend.ts'" },
      { path: 'views/Z.vue', text: "import type { NCRow } from '../backend'" },
      { path: 'composables/w.ts', text: "const b = await import('../backend')" },
      { path: 'components/shell/V.vue', text: "import { EventsOn } from '../../../wailsjs/runtime/runtime'" },
      { path: 'stores/s.ts', text: "import * as CA from '../../wailsjs/go/app/CA'" },
      { path: 'nc.ts', text: "export { errorCode } from './backend'" },
      { path: 'format.ts', text: "import { api } from '../wailsjs/go/models'" },
    ]
    for (const f of bad) expect(violations([f]), f.path).toHaveLength(1)
  })

  it('lets the stores use the wrapper, and types.ts the generated models', () => {
    const good: Source[] = [
      { path: 'stores/files.ts', text: "import * as backend from '../backend'" },
      { path: 'types.ts', text: "import type { api, app } from '../wailsjs/go/models'" },
      { path: 'backend.ts', text: "import * as CAAPI from '../wailsjs/go/app/CA'" },
      { path: 'components/ca/X.vue', text: "import type { NCDetail } from '../../types'\nimport { useCAStore } from '../../stores/ca'" },
    ]
    expect(violations(good)).toEqual([])
  })
})
