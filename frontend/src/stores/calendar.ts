import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as backend from '../backend'
import type { CalendarSubscription } from '../types'

/**
 * The user's calendar subscription: a feed address the server makes and revokes, for
 * Outlook, Google or Thunderbird to read the deadlines from. Nothing here is queued:
 * offline each call fails with needs_connection, said plainly.
 */
export const useCalendarStore = defineStore('calendar', () => {
  const sub = ref<CalendarSubscription | null>(null)
  const busy = ref<'' | 'load' | 'subscribe' | 'revoke'>('')
  const error = ref('')
  /** Whether the address was just put on the clipboard, or could not be. */
  const copied = ref<'' | 'copied' | 'failed'>('')

  async function act<T>(what: typeof busy.value, call: () => Promise<T>): Promise<T | undefined> {
    busy.value = what
    error.value = ''
    copied.value = ''
    try {
      return await call()
    } catch (e) {
      error.value = backend.errorCode(e)
      return undefined
    } finally {
      busy.value = ''
    }
  }

  async function load() {
    const s = await act('load', () => backend.calendarSubscription())
    if (s) sub.value = s
  }
  /** Makes the feed, or a new one in place of the one the user had. */
  async function subscribe() {
    const s = await act('subscribe', () => backend.calendarSubscribe())
    if (s) sub.value = s
  }
  async function revoke() {
    await act('revoke', async () => {
      await backend.calendarRevoke()
      sub.value = { active: false, url: '', created_at: '', lang: '' }
    })
  }
  async function copy() {
    const url = sub.value?.url
    if (!url) return
    error.value = ''
    try {
      copied.value = (await backend.copyText(url)) ? 'copied' : 'failed'
    } catch {
      copied.value = 'failed'
    }
  }

  return { sub, busy, error, copied, load, subscribe, revoke, copy }
})
