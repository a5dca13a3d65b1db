import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as backend from '../backend'
import type { TrailEntry } from '../types'

/** The trail of the NC on screen: who changed what, when, on this computer. */
export const useTrailStore = defineStore('trail', () => {
  const ncId = ref('')
  const entries = ref<TrailEntry[]>([])
  const loading = ref(false)
  const error = ref('')
  let asked = 0

  /** load keeps only the answer for the NC asked last. */
  async function load(id: string) {
    const n = ++asked
    if (id !== ncId.value) entries.value = []
    ncId.value = id
    loading.value = true
    try {
      const got = await backend.ncTrail(id)
      if (n !== asked) return
      entries.value = got ?? []
      error.value = ''
    } catch (e) {
      if (n === asked) error.value = backend.errorCode(e)
    } finally {
      if (n === asked) loading.value = false
    }
  }

  return { ncId, entries, loading, error, load }
})
