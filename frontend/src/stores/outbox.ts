import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as backend from '../backend'
import type { OutboxItem } from '../types'
import { usePortalStore } from './portal'
import { useSyncStore } from './sync'

/** What the user sends: messages to the analyst, and what waits or was refused. */
export const useOutboxStore = defineStore('outbox', () => {
  const items = ref<OutboxItem[]>([])
  const error = ref('')

  /** Entries the server refused for good: the user reads them, then dismisses them. */
  const rejected = computed(() => items.value.filter((i) => i.state === 'rejected'))

  async function load() {
    try {
      items.value = (await backend.outboxList()) ?? []
      error.value = ''
    } catch (e) {
      error.value = backend.errorCode(e)
    }
  }

  /** Queues a message in an NC's thread; it shows as "waiting to be sent" at once. */
  async function message(ncId: string, text: string) {
    await backend.outboxMessage(ncId, text)
    await Promise.all([usePortalStore().localChanged(ncId), useSyncStore().refresh(), load()])
  }

  /** Queues a message to FLOCERT about no NC; it shows as "waiting to be sent" at once. */
  async function generalMessage(text: string) {
    await backend.outboxGeneralMessage(text)
    await Promise.all([usePortalStore().load('general'), useSyncStore().refresh(), load()])
  }

  /** dismiss removes a refused entry; ncId names the NC whose thread shows it. */
  async function dismiss(seq: number, ncId = '') {
    try {
      await backend.outboxDismiss(seq)
      error.value = ''
    } catch (e) {
      error.value = backend.errorCode(e)
      return
    }
    await Promise.all([load(), ncId ? usePortalStore().localChanged(ncId) : undefined])
  }

  function reset() {
    items.value = []
    error.value = ''
  }

  return { items, rejected, error, load, message, generalMessage, dismiss, reset }
})
