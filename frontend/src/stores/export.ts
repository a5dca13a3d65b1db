import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as backend from '../backend'
import { errorCode } from '../errors'
import type { ExportFormat, ExportProgress, ExportResult, NCFilter } from '../types'

/**
 * Exports of the register (XLSX, PDF) and of the deadlines calendar (.ics). One at a
 * time: while one runs, progress holds the rows written so far (the backend's
 * "export:progress" events), and the result or error code of the last one stays until
 * the next.
 */
export const useExportStore = defineStore('export', () => {
  const busy = ref<ExportFormat | 'ics' | ''>('')
  const progress = ref<ExportProgress | null>(null)
  const result = ref<(ExportResult & { kind: ExportFormat | 'ics' }) | null>(null)
  const error = ref('')

  async function run(kind: ExportFormat | 'ics', call: () => Promise<ExportResult>) {
    if (busy.value) return
    busy.value = kind
    progress.value = null
    result.value = null
    error.value = ''
    const off = backend.onEvent('export:progress', (p) => {
      if (p.kind === kind) progress.value = p
    })
    try {
      const r = await call()
      // An empty path: the user cancelled the save dialog; nothing to say.
      if (r.path) result.value = { ...r, kind }
    } catch (e) {
      error.value = errorCode(e)
    } finally {
      off()
      busy.value = ''
      progress.value = null
    }
  }

  /** Writes the register of a list filter (only the NCs given, when a search narrows it). */
  const register = (format: ExportFormat, filter: NCFilter, only: string[] = []) =>
    run(format, () => backend.exportRegister(format, filter, only))
  /** Writes the deadlines calendar, where the user chooses. */
  const calendar = () => run('ics', () => backend.exportCalendar())
  /** Opens the file just written with the system's program. */
  async function openLast() {
    error.value = ''
    try {
      await backend.exportOpenLast()
    } catch (e) {
      error.value = errorCode(e)
    }
  }
  const clear = () => {
    result.value = null
    error.value = ''
  }

  return { busy, progress, result, error, register, calendar, openLast, clear }
})
