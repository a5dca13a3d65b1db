import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as backend from '../backend'
import type { LibraryFile, LibraryQuery, LibraryTarget, LinkResult } from '../types'

/**
 * The organisation's files library: every file it has (evidence, documents,
 * certificates) with where each is used, searched offline; linking one to an NC's
 * evidence moves only a reference (no upload), queued when offline.
 */
export const useLibraryStore = defineStore('library', () => {
  const files = ref<LibraryFile[]>([])
  const loaded = ref(false)
  const error = ref('')
  let asked = 0

  /** list keeps only the answer to the latest query: typing fast never shows an older one. */
  async function list(q: LibraryQuery) {
    const n = ++asked
    try {
      const r = await backend.listFiles(q)
      if (n !== asked) return
      files.value = r ?? []
      error.value = ''
    } catch (e) {
      if (n === asked) error.value = backend.errorCode(e)
    } finally {
      if (n === asked) loaded.value = true
    }
  }

  /** The NCs awaiting evidence the file may go to; rejects with an error code. */
  const targets = async (sha256: string): Promise<LibraryTarget[]> => (await backend.fileTargets(sha256)) ?? []

  /** Links the file to the NC; rejects with an error code. */
  const link = (ncId: string, sha256: string, subject: string): Promise<LinkResult> => backend.linkFile(ncId, sha256, subject)

  return { files, loaded, error, list, targets, link }
})
