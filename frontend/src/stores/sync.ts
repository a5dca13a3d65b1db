import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as backend from '../backend'
import type { SyncStatus } from '../types'

/** The sync engine's state for the status bar, kept current by the "sync:status" event. */
export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus>({
    online: false,
    syncing: false,
    last_sync: '',
    last_error: '',
    error_at: '',
    next_try: '',
    last_contact: '',
    pending: 0,
    files: 0,
    version: 0,
  })
  const error = ref('') // a failed call of the UI itself (Status, SyncNow)

  /** set keeps the newest status: an answer to Status() may arrive after a newer event. */
  function set(s: SyncStatus) {
    if ((s.version ?? 0) < status.value.version) return
    status.value = { ...status.value, ...s }
  }

  async function refresh() {
    try {
      set(await backend.syncStatus())
      error.value = ''
    } catch (e) {
      error.value = backend.errorCode(e)
    }
  }

  async function syncNow() {
    error.value = ''
    status.value = { ...status.value, syncing: true }
    let code = ''
    try {
      await backend.syncNow()
    } catch (e) {
      code = backend.errorCode(e)
    }
    await refresh()
    if (code) error.value = code
  }

  return { status, error, set, refresh, syncNow }
})
