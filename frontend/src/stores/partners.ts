import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import * as backend from '../backend'
import type { Partner, PartnerQuery, PartnerResults, PartnerStatus } from '../types'

/** Trade partners: the search over the offline copy of the directory, and one partner's status. */
export const usePartnersStore = defineStore('partners', () => {
  // Shallow: the rows are replaced whole at each answer, never changed in place, so
  // Vue need not make each of them reactive at every keystroke.
  const results = shallowRef<Partner[]>([])
  /** The text the shown results answer: set with them, so the page can say which query its rows belong to. */
  const query = ref('')
  const more = ref(false)
  const freshness = ref<PartnerResults['freshness']>({ operators: 0, synced_at: '' })
  const error = ref('')
  const detail = ref<PartnerStatus | null>(null)
  const checking = ref(false)
  const proofPath = ref('')
  let asked = 0

  /** search keeps only the answer to the latest query: typing fast never shows an older one. */
  async function search(q: PartnerQuery) {
    const n = ++asked
    try {
      const r = await backend.searchPartners(q)
      if (n !== asked) return
      results.value = r.partners ?? []
      query.value = q.text
      more.value = r.more
      freshness.value = r.freshness
      error.value = ''
    } catch (e) {
      if (n === asked) error.value = backend.errorCode(e)
    }
  }

  async function check(floID: string) {
    checking.value = true
    proofPath.value = ''
    try {
      detail.value = await backend.partnerStatus(floID)
      error.value = ''
    } catch (e) {
      error.value = backend.errorCode(e)
    } finally {
      checking.value = false
    }
  }

  async function saveProof(floID: string) {
    try {
      proofPath.value = await backend.savePartnerProof(floID)
      error.value = ''
    } catch (e) {
      error.value = backend.errorCode(e)
    }
  }

  return { results, query, more, freshness, error, detail, checking, proofPath, search, check, saveProof }
})
