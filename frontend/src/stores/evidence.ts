import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import * as backend from '../backend'
import type { AttachResult, Preferences, UploadProgress } from '../types'
import { usePortalStore } from './portal'
import { useSyncStore } from './sync'

/** The screen follows upload progress at most this often (the events come ≤ 4/s). */
export const PROGRESS_MS = 250
/** Without news for this long (and not paused), the upload is taken as stopped. */
export const STALE_MS = 30_000
/** The same files dropped twice this close together are one drop (DOM drop + Go's event). */
export const DROP_DEDUP_MS = 3_000

/** After a drop the page saw without paths, how long to wait for Go's "files:dropped". */
export const DROP_WAIT_MS = 1500

/** 1 MB as the preferences count it (Go: 3 << 20 is "3 MB"). */
export const MB = 1 << 20

export interface FileProgress {
  done: number
  total: number
  completed: boolean
}

/** The upload run in progress, for the status bar. */
export interface UploadRun {
  /** Files left, the current one included. */
  files: number
  all_done: number
  all_total: number
  name: string
}

/** What the last add (dialog, drop) did, for the NC screen to say. */
export interface AddOutcome {
  ncId: string
  results: AttachResult[]
  /** The whole call failed (errors.<code>); "" otherwise. */
  error: string
}

const DEFAULT_PREFS: Preferences = { downscale: true, downscale_above_bytes: 3 * MB, pause_uploads: false }

/**
 * Evidence files ("Preuves Matérielles"): adding, removing and describing them, the
 * NC's ready mark, upload progress and the upload preferences. Everything is local
 * first; the backend uploads by itself when online.
 */
export const useEvidenceStore = defineStore('evidence', () => {
  const portal = usePortalStore()
  const sync = useSyncStore()

  const prefs = ref<Preferences>({ ...DEFAULT_PREFS })
  const inboxRoot = ref('')
  /** Progress of each file of the current run, by sha256. */
  const progress = shallowRef<Record<string, FileProgress>>({})
  const run = ref<UploadRun | null>(null)
  const lastAdd = ref<AddOutcome | null>(null)
  const busy = ref(false)
  /** The NC that files dropped on the window go to ('' when none takes evidence now). */
  const dropTarget = ref('')
  /** When Go last reported a drop on the window (ms). */
  const lastDroppedAt = ref(0)

  // ---- Preferences ----

  async function loadPrefs() {
    try {
      const p = await backend.evidencePreferences()
      if (p && typeof p === 'object') prefs.value = { ...DEFAULT_PREFS, ...p }
    } catch {
      // keep the defaults; the control still shows them
    }
  }

  /** Saves the preferences; rejects with an error code. */
  async function setPrefs(p: Preferences) {
    await backend.evidenceSetPreferences({ ...p })
    prefs.value = { ...p }
    if (!p.pause_uploads) armStale()
  }

  const togglePause = () => setPrefs({ ...prefs.value, pause_uploads: !prefs.value.pause_uploads })

  // ---- Inbox folder ----

  async function loadInbox() {
    try {
      inboxRoot.value = (await backend.evidenceInbox()) ?? ''
    } catch {
      inboxRoot.value = ''
    }
  }

  /** The inbox sub-folder of an NC ("" before the first sync made the inbox). */
  function inboxPath(ncId: string): string {
    const root = inboxRoot.value
    if (!root) return ''
    const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/'
    return root.endsWith(sep) ? root + ncId : root + sep + ncId
  }

  const openInbox = (ncId: string) => backend.evidenceOpenInbox(ncId)

  // ---- Files ----

  /** After a change: the NC, the list, the counts and the status bar. */
  async function changed(ncId: string) {
    await Promise.all([portal.localChanged(ncId), sync.refresh()])
  }

  async function attach(ncId: string, call: () => Promise<AttachResult[] | null>): Promise<AttachResult[]> {
    busy.value = true
    try {
      const results = (await call()) ?? []
      if (results.length) lastAdd.value = { ncId, results, error: '' }
      if (results.some((r) => !r.code)) await changed(ncId)
      return results
    } catch (e) {
      lastAdd.value = { ncId, results: [], error: backend.errorCode(e) }
      return []
    } finally {
      busy.value = false
    }
  }

  /** "Add files…": the system's dialog; nothing happens when it is cancelled. */
  const addWithDialog = (ncId: string) => attach(ncId, () => backend.evidenceAddWithDialog(ncId))

  let lastDrop = { key: '', at: 0 }
  /** Attaches dropped files; the same drop reported twice is attached once. */
  function addDropped(ncId: string, paths: string[]): Promise<AttachResult[]> {
    const list = paths.filter((p) => typeof p === 'string' && p !== '')
    if (!ncId || list.length === 0) return Promise.resolve([])
    const key = `${ncId}\n${[...list].sort().join('\n')}`
    const now = Date.now()
    if (key === lastDrop.key && now - lastDrop.at < DROP_DEDUP_MS) return Promise.resolve([])
    lastDrop = { key, at: now }
    return attach(ncId, () => backend.evidenceAddFiles(ncId, list))
  }

  /**
   * dropped handles Go's "files:dropped": the files go to the open NC when it takes
   * evidence. Returns false when no NC can take them.
   */
  function dropped(paths: string[] | null | undefined): boolean {
    lastDroppedAt.value = Date.now()
    const list = Array.isArray(paths) ? paths : []
    if (list.length === 0) return true
    if (!dropTarget.value) return false
    void addDropped(dropTarget.value, list)
    return true
  }

  async function remove(ncId: string, id: string) {
    await backend.evidenceRemove(id)
    await changed(ncId)
  }

  async function setSubject(id: string, subject: string) {
    await backend.evidenceSetSubject(id, subject)
    portal.patchEvidence(id, { subject })
    void sync.refresh()
  }

  async function setReady(ncId: string, ready: boolean) {
    await backend.evidenceSetReady(ncId, ready)
    await changed(ncId)
  }

  // ---- Upload progress ("upload:progress"), throttled ----

  let pending: UploadProgress[] = []
  let timer: ReturnType<typeof setTimeout> | null = null
  let staleTimer: ReturnType<typeof setTimeout> | null = null
  let lastFlush = 0

  function onProgress(p: UploadProgress | null | undefined) {
    if (!p || typeof p !== 'object' || !p.sha256) return
    pending.push(p)
    if (timer) return
    const wait = PROGRESS_MS - (Date.now() - lastFlush)
    if (wait <= 0) flush()
    else timer = setTimeout(flush, wait)
  }

  function flush() {
    timer = null
    lastFlush = Date.now()
    const batch = pending
    pending = []
    if (batch.length === 0) return
    const next = { ...progress.value }
    let completed = false
    for (const p of batch) {
      next[p.sha256] = { done: p.done, total: p.total, completed: !!p.completed }
      completed ||= !!p.completed
    }
    const last = batch[batch.length - 1]
    const finished = last.completed && last.files <= 1
    if (finished) {
      run.value = null
      // Keep the files that completed: until their rows reload they read "uploaded",
      // not "waiting to upload" again.
      progress.value = Object.fromEntries(Object.entries(next).filter(([, p]) => p.completed))
      clearStale()
    } else {
      run.value = { files: last.files, all_done: last.all_done, all_total: last.all_total, name: last.name }
      progress.value = next
      armStale()
    }
    // A file uploaded: its row goes from "waiting to upload" on.
    if (completed) void portal.dataChanged(['evidence'])
  }

  function clearStale() {
    if (staleTimer) clearTimeout(staleTimer)
    staleTimer = null
  }

  function armStale() {
    clearStale()
    if (!run.value) return
    staleTimer = setTimeout(() => {
      staleTimer = null
      if (prefs.value.pause_uploads) return
      run.value = null
      progress.value = {}
    }, STALE_MS)
  }

  /** reset forgets everything shown, at logout. */
  function reset() {
    if (timer) clearTimeout(timer)
    timer = null
    pending = []
    clearStale()
    run.value = null
    progress.value = {}
    lastAdd.value = null
    dropTarget.value = ''
    inboxRoot.value = ''
    prefs.value = { ...DEFAULT_PREFS }
  }

  return {
    prefs,
    inboxRoot,
    progress,
    run,
    lastAdd,
    busy,
    dropTarget,
    lastDroppedAt,
    loadPrefs,
    setPrefs,
    togglePause,
    loadInbox,
    inboxPath,
    openInbox,
    addWithDialog,
    addDropped,
    dropped,
    remove,
    setSubject,
    setReady,
    onProgress,
    reset,
  }
})
