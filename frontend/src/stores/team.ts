import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as backend from '../backend'
import type { Account } from '../types'

/**
 * The organisation's accounts, as its manager manages them with the server: nothing
 * here is queued, so offline every call fails with needs_connection, said plainly.
 */
export const useTeamStore = defineStore('team', () => {
  const accounts = ref<Account[]>([])
  const loaded = ref(false)
  const busy = ref('') // the username being changed, or "new"
  const error = ref('')
  /** The temporary password just made, shown once with whose it is. */
  const issued = ref<Account | null>(null)

  async function load() {
    try {
      accounts.value = (await backend.teamAccounts()) ?? []
      error.value = ''
    } catch (e) {
      error.value = backend.errorCode(e)
    } finally {
      loaded.value = true
    }
  }

  /** act runs one change and reloads the list; it returns whether it worked. */
  async function act(key: string, fn: () => Promise<Account>, keep = false): Promise<boolean> {
    busy.value = key
    issued.value = null
    try {
      const a = await fn()
      if (keep) issued.value = a
      error.value = ''
      await load()
      return true
    } catch (e) {
      error.value = backend.errorCode(e)
      return false
    } finally {
      busy.value = ''
    }
  }

  const addStaff = (username: string, name: string) => act('new', () => backend.teamAddStaff(username.trim(), name.trim()), true)
  const disable = (username: string) => act(username, () => backend.teamDisable(username))
  const enable = (username: string) => act(username, () => backend.teamEnable(username))
  const resetPassword = (username: string) => act(username, () => backend.teamResetPassword(username), true)

  return { accounts, loaded, busy, error, issued, load, addStaff, disable, enable, resetPassword }
})
