import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { messages } from '../i18n'
import { STAGES } from '../nc'
import { MENU } from '../router'
import { HISTORY_WORDS, type HistoryKind } from '../components/nc-detail/history'

type Tree = { [k: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv)
  }
  return out
}

const locales = Object.fromEntries(
  Object.entries(messages).map(([l, m]) => [l, flatten(m as unknown as Tree)]),
) as Record<string, Map<string, string>>
const en = locales.en

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return name === '__tests__' ? [] : sourceFiles(p)
    return /\.(vue|ts)$/.test(name) ? [p] : []
  })
}

describe('translations', () => {
  it('every locale has every key of every other locale', () => {
    const all = new Set(Object.values(locales).flatMap((m) => [...m.keys()]))
    for (const [lang, m] of Object.entries(locales)) {
      const missing = [...all].filter((k) => !m.has(k))
      expect(missing, `missing in ${lang}`).toEqual([])
    }
  })

  it('has no empty value', () => {
    for (const [lang, m] of Object.entries(locales)) {
      const empty = [...m].filter(([, v]) => v.trim() === '').map(([k]) => k)
      expect(empty, `empty in ${lang}`).toEqual([])
    }
  })

  it('keeps the same number of plural forms in every locale', () => {
    for (const [key, v] of en) {
      const forms = v.split('|').length
      for (const [lang, m] of Object.entries(locales)) {
        expect(m.get(key)!.split('|').length, `${lang}:${key}`).toBe(forms)
      }
    }
  })

  it('has every key that the source code uses literally', () => {
    const src = resolve(__dirname, '..')
    const used = new Set<string>()
    for (const file of sourceFiles(src)) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\$?\bt\(\s*['"]([A-Za-z0-9_.]+)['"]/g)) used.add(m[1])
    }
    expect(used.size).toBeGreaterThan(50)
    const missing = [...used].filter((k) => !en.has(k))
    expect(missing).toEqual([])
  })

  it('has every word of both decision histories, each in its own words', () => {
    const kinds: HistoryKind[] = ['ca', 'evidence']
    for (const kind of kinds) {
      for (const w of HISTORY_WORDS) expect(en.has(`${kind}.history.${w}`), `${kind}.history.${w}`).toBe(true)
    }
    // The evidence's history speaks of evidence, not of corrective measures.
    for (const [lang, m] of Object.entries(locales)) {
      expect(m.get('evidence.history.submitted'), lang).not.toBe(m.get('ca.history.submitted'))
    }
  })

  it('names every NC stage, what it expects and why it can or cannot be edited', () => {
    for (const s of STAGES) {
      for (const prefix of ['nc.stage', 'nc.expect', 'nc.edit']) expect(en.has(`${prefix}.${s}`), `${prefix}.${s}`).toBe(true)
    }
  })

  it('names every enum value of the backend', () => {
    const enums: Record<string, string[]> = {
      'nc.status': ['none', 'requested', 'submitted', 'returned', 'accepted'],
      'criterion.type': ['core', 'major', 'development', 'voluntary', 'reactive'],
      'certification.status': ['certified', 'suspended', 'decertified', 'in_progress', 'expired', 'audit_overdue'],
      'audits.status': ['planned', 'performed', 'in_evaluation', 'closed'],
      'audits.type': ['initial', 'renewal', 'surveillance', 'unannounced'],
      'documents.type': ['certification_contract', 'other'],
      role: ['client', 'analyst', 'auditor'],
      errors: [
        'bad_credentials', 'unreachable', 'session_expired', 'bad_response', 'offline',
        'not_found', 'not_cached', 'invalid_input', 'internal', 'unknown',
      ],
      'lang.short': ['fr', 'en', 'es', 'pt'],
    }
    for (const [prefix, values] of Object.entries(enums)) {
      for (const v of values) expect(en.has(`${prefix}.${v}`), `${prefix}.${v}`).toBe(true)
    }
    for (const m of MENU) expect(en.has(m.label), m.label).toBe(true)
  })

  it('uses FLOCERT wording for the portal terms', () => {
    expect(locales.fr.get('menu.ncs')).toBe('Non Conformités et Mesures Correctives')
    expect(locales.fr.get('nc.status.accepted')).toBe('Satisfait')
    expect(en.get('nc.status.accepted')).toBe('Satisfied')
    expect(locales.es.get('nc.status.accepted')).toBe('Satisfecho')
    expect(locales.fr.get('evidence.type.evidence')).toBe('Preuves Matérielles')
    expect(locales.fr.get('common.noInformation')).toBe('Aucune information disponible.')
  })

  it('speaks Brazilian Portuguese with the Fairtrade terms', () => {
    const pt = locales.pt
    expect(pt, 'pt.json is loaded').toBeDefined()
    expect(pt.get('dashboard.action.ca')).toBe('Medida corretiva')
    expect(pt.get('nc.tab.evidence')).toContain('Evidências objetivas')
    expect(pt.get('nc.title')).toBe('Não conformidade {id}')
    // Uploads are "envio" (sending), never "download"
    for (const [k, v] of pt) if (k.startsWith('upload.') || k.startsWith('evidence.state.')) expect(v, k).not.toMatch(/download|baix/i)
    // No European Portuguese forms where Brazil says otherwise
    for (const [k, v] of pt) expect(v, k).not.toMatch(/\bficheiro|\butilizador|\becrã|\bpalavra-passe/i)
  })
})
