import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as backend from '../backend'
import type { BuildInfo, UpdateKey, UpdateState } from '../types'

/** This build and its updates: the About dialog's data. */
export const useUpdatesStore = defineStore('updates', () => {
  const build = ref<BuildInfo | null>(null)
  /** The key releases are verified with, or why updates are off. */
  const key = ref<UpdateKey | null>(null)
  const state = ref<UpdateState>({ status: 'idle', current: '', mode: 'notice' })
  /** The code of the last failed call (errors.<code>), '' when none. */
  const error = ref('')
  const busy = ref(false)
  /** The About dialog is open (the status bar's button, or the update notice's). */
  const dialogOpen = ref(false)
  /** The version the user was last told about: each new release is announced once. */
  const announced = ref('')

  async function load() {
    try {
      const a = await backend.about()
      build.value = a.build
      key.value = a.key ?? null
      state.value = a.update
      error.value = ''
    } catch (e) {
      error.value = backend.errorCode(e)
    }
  }

  /** set takes the state the backend announced (update:state). */
  function set(s: UpdateState | null | undefined) {
    if (s && typeof s.status === 'string') state.value = s
  }

  async function check() {
    busy.value = true
    try {
      state.value = await backend.updateCheck()
      error.value = ''
    } catch (e) {
      error.value = backend.errorCode(e)
    } finally {
      busy.value = false
    }
  }

  /** install installs and restarts: only ever called on the user's click. */
  async function install() {
    busy.value = true
    try {
      state.value = await backend.updateInstall()
      error.value = ''
    } catch (e) {
      error.value = backend.errorCode(e)
    } finally {
      busy.value = false
    }
  }

  /** True when a newer release waits for the user's word. */
  const canInstall = () => state.value.status === 'available' && state.value.mode === 'swap'

  /** toAnnounce returns the version to announce now, once: '' when there is none. */
  function toAnnounce(): string {
    const v = state.value.status === 'available' ? (state.value.available ?? '') : ''
    if (!v || v === announced.value) return ''
    announced.value = v
    return v
  }

  return { build, key, state, error, busy, dialogOpen, load, set, check, install, canInstall, toAnnounce }
})
