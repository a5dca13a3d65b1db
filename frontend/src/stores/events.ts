import { defineStore } from 'pinia'
import * as backend from '../backend'
import type { BackendEvents } from '../types'

/**
 * The backend's events, both ways: the window subscribes to what Go announces (sync
 * status, data changed, notices, upload progress, files dropped…), and tells Go when a
 * screen was first shown.
 */
export const useEventsStore = defineStore('events', () => {
  /**
   * on subscribes to a backend event; the function it returns unsubscribes, and is safe
   * to call more than once. Throws when there is no Wails runtime (a plain browser).
   */
  function on<K extends keyof BackendEvents>(name: K, cb: (payload: BackendEvents[K]) => void): () => void {
    return backend.onEvent(name, cb)
  }

  /** shown tells the backend, once per screen, that it was first shown with its data. */
  const shown = (screen: string) => backend.announceShown(screen)

  return { on, shown }
})
