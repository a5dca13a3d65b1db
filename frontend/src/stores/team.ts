import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as backend from '../backend'
import type { Account, Assignment, DueSoon, Member } from '../types'

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

  /** Every NC's assignment, by NC id (read from the replica: works offline). */
  const assignments = ref<Record<string, Assignment>>({})

  async function loadAssignments() {
    try {
      const list = (await backend.teamAssignments()) ?? []
      assignments.value = Object.fromEntries(list.map((a) => [a.nc_id, a]))
    } catch (e) {
      error.value = backend.errorCode(e)
    }
  }

  /** assign queues an assignment (shown at once); it returns '' or the error code. */
  async function assign(ncID: string, username: string, due: string): Promise<string> {
    try {
      await backend.teamAssign(ncID, username.trim(), due)
      await loadAssignments()
      return ''
    } catch (e) {
      return backend.errorCode(e)
    }
  }

  /** The organisation's accounts as last synced (disabled ones too): the assignee picker, offline. */
  const members = ref<Member[]>([])
  async function loadMembers() {
    try {
      members.value = (await backend.teamMembers()) ?? []
    } catch (e) {
      error.value = backend.errorCode(e)
    }
  }

  /** The dashboard's internal due dates of the week, by person. */
  const dueSoon = ref<DueSoon[]>([])
  async function loadDueSoon() {
    try {
      dueSoon.value = (await backend.teamDueThisWeek()) ?? []
    } catch (e) {
      error.value = backend.errorCode(e)
    }
  }

  /** The NCs assigned to username. */
  const mineOf = (username: string) => Object.values(assignments.value).filter((a) => a.assignee === username).map((a) => a.nc_id)

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

  return { accounts, loaded, busy, error, issued, assignments, members, dueSoon, load, loadAssignments, loadMembers, loadDueSoon, assign, mineOf, addStaff, disable, enable, resetPassword }
})
