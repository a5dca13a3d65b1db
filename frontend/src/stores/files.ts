import { defineStore } from 'pinia'
import * as backend from '../backend'

/**
 * Files the app keeps (certificates, documents, evidence), by SHA-256: opening one with
 * the system's program, saving a copy, and the address of an image's thumbnail. Both
 * actions work offline once the file is cached; they reject with an error code
 * ("not_cached" when it is not downloaded yet).
 */
export const useFilesStore = defineStore('files', () => {
  /** Opens a cached file with the system's program. */
  const open = (sha256: string) => backend.openFile(sha256)
  /** Asks where to save a cached file (the system's dialog) and copies it there. */
  const saveAs = (sha256: string) => backend.saveFileAs(sha256)
  /** A small picture of an image file (evidence rows with image = true). */
  const thumbUrl = (sha256: string) => backend.thumbUrl(sha256)

  return { open, saveAs, thumbUrl }
})
