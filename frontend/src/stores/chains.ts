import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as backend from '../backend'
import type { Chain, ChainEdit, PastChainAlert } from '../types'

/** The organisation's supply chains (FairMonitor): read and edited offline; the outbox sends the edits. */
export const useChainsStore = defineStore('chains', () => {
  const chains = ref<Chain[]>([])
  const error = ref('')
  const loaded = ref(false)
  /** The alerts raised before, newest first; seen_at '' for those not seen yet. */
  const alerts = ref<PastChainAlert[]>([])

  async function load() {
    try {
      chains.value = (await backend.listChains()).chains ?? []
      alerts.value = (await backend.listChainAlerts()) ?? []
      error.value = ''
    } catch (e) {
      error.value = backend.errorCode(e)
    } finally {
      loaded.value = true
    }
  }

  /** add returns true when the edit was kept; else error holds why (nothing was queued). */
  async function add(e: ChainEdit): Promise<boolean> {
    try {
      await backend.addToChain(e)
      error.value = ''
    } catch (err) {
      error.value = backend.errorCode(err)
      return false
    }
    await load()
    return true
  }

  async function remove(product: string, floID: string) {
    try {
      await backend.removeFromChain(product, floID)
      error.value = ''
    } catch (err) {
      error.value = backend.errorCode(err)
      return
    }
    await load()
  }

  /** markSeen marks these alerts seen (every unseen one when keys is empty). */
  async function markSeen(keys: string[] = []) {
    try {
      await backend.markChainAlertsSeen(keys)
      alerts.value = (await backend.listChainAlerts()) ?? []
      error.value = ''
    } catch (err) {
      error.value = backend.errorCode(err)
    }
  }

  return { chains, alerts, error, loaded, load, add, remove, markSeen }
})
