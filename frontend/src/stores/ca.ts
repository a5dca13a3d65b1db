import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as backend from '../backend'
import type { LocalCA, SendPreview, SendResult } from '../types'
import { usePortalStore } from './portal'
import { useOutboxStore } from './outbox'
import { useSyncStore } from './sync'

/**
 * Corrective measures written on this computer. Every action is local first (the
 * backend keeps it and syncs by itself), so all of them work offline. Failed calls
 * reject with an error code (see backend.errorCode).
 */
export const useCAStore = defineStore('ca', () => {
  const portal = usePortalStore()
  const outbox = useOutboxStore()
  const sync = useSyncStore()

  const preview = ref<SendPreview | null>(null)
  const lastSend = ref<SendResult | null>(null)

  /** Keeps the text on this computer only (each pause in typing). */
  async function autosave(ncId: string, text: string): Promise<LocalCA> {
    const v = await backend.caAutosave(ncId, text)
    portal.patchLocal(v)
    return v
  }

  /** After an action that changes what the list, the counts and the NC show. */
  async function changed(ncId: string) {
    await Promise.all([portal.localChanged(ncId), sync.refresh(), outbox.load()])
  }

  async function saveDraft(ncId: string, text: string): Promise<LocalCA> {
    const v = await backend.caSaveDraft(ncId, text)
    portal.patchLocal(v)
    await changed(ncId)
    return v
  }

  async function setReady(ncId: string, text: string, ready: boolean): Promise<LocalCA> {
    const v = await backend.caSetReady(ncId, text, ready)
    portal.patchLocal(v)
    await changed(ncId)
    return v
  }

  async function resolve(ncId: string, text: string): Promise<LocalCA> {
    const v = await backend.caResolve(ncId, text)
    portal.patchLocal(v)
    await changed(ncId)
    return v
  }

  async function loadPreview(): Promise<SendPreview> {
    const p = await backend.caSendPreview()
    preview.value = {
      ready: p.ready ?? [],
      not_ready: p.not_ready ?? [],
      no_files: p.no_files ?? [],
      uploading: p.uploading ?? 0,
    }
    return preview.value
  }

  /** The portal's "Envoyer": queues every CA marked ready; they go now when online. */
  async function send(): Promise<SendResult> {
    const r = await backend.caSend()
    lastSend.value = { queued: r.queued ?? [], not_ready: r.not_ready ?? [], online: r.online }
    await changed('')
    return lastSend.value
  }

  return { preview, lastSend, autosave, saveDraft, setReady, resolve, loadPreview, send }
})
