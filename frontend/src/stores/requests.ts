import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as backend from '../backend'
import type { ChangeProposal, ChangeRequest } from '../types'
import { usePortalStore } from './portal'
import { useSyncStore } from './sync'

/** Change requests: what the user asked FLOCERT to update, and where each stands. */
export const useRequestsStore = defineStore('requests', () => {
  const items = ref<ChangeRequest[]>([])
  const error = ref('')

  async function load() {
    try {
      items.value = (await backend.requestList()) ?? []
      error.value = ''
    } catch (e) {
      error.value = backend.errorCode(e)
    }
  }

  /** Queues a proposal; returns "" or the refusal's code, for the form to show by its button. */
  async function propose(p: ChangeProposal): Promise<string> {
    try {
      await backend.requestPropose(p)
    } catch (e) {
      return backend.errorCode(e)
    }
    await Promise.all([load(), useSyncStore().refresh()])
    return ''
  }

  /** Removes a request the server refused as an entry (not sent), once read. */
  async function dismiss(seq: number) {
    try {
      await backend.outboxDismiss(seq)
    } catch (e) {
      error.value = backend.errorCode(e)
    }
    await load()
  }

  /** After a decision came in: the new values are in the contacts and master data. */
  async function decided() {
    const portal = usePortalStore()
    await Promise.all([load(), portal.load('contacts'), portal.load('organisation')])
  }

  const about = (target: string) => computed(() => items.value.filter((r) => r.target === target))

  return { items, error, load, propose, dismiss, decided, about }
})
