// The corrective-measure editor of one NC screen: the text being typed, its autosave,
// and the actions of the manual ("Sauvegarder comme brouillon", "Prête à envoyer").
//
// No keystroke is lost: the text is saved on this computer ~400 ms after typing stops,
// at once when the field loses focus, when the user moves to another NC or leaves the
// screen, and before the window closes. Saves run one after the other, so an older text
// can never land after a newer one.
import { computed, onBeforeUnmount, onMounted, reactive, ref, watch } from 'vue'
import type { LocalCA, NCDetail } from '../types'
import { errorCode } from '../errors'
import { usePortalStore } from '../stores/portal'
import { useCAStore } from '../stores/ca'

/** Pause in typing after which the text is saved on this computer. */
export const AUTOSAVE_MS = 400

export type CAAction = '' | 'draft' | 'ready' | 'takeBack' | 'resolve'

export function useCaEditor(ncId: () => string) {
  const portal = usePortalStore()
  const ca = useCAStore()

  const detail = computed<NCDetail | null>(() =>
    portal.detail && portal.detail.row.nc.id === ncId() ? portal.detail : null,
  )
  const local = computed<LocalCA | null>(() => detail.value?.local ?? null)

  /** The NC the text belongs to (it stays set while the next NC loads). */
  const forId = ref('')
  const text = ref('')
  /** The text as last loaded from, or saved to, the backend; null after a failed save. */
  let synced: string | null = ''
  const saving = ref(false)
  const busy = ref<CAAction>('')
  /** Error code of the last failed save or action; "" when none. */
  const error = ref('')
  /** In a draft_changed conflict: the user's text when the conflict appeared. */
  const mine = ref('')

  let timer: ReturnType<typeof setTimeout> | null = null
  let chain: Promise<unknown> = Promise.resolve()

  // A returned CA is usually corrected rather than rewritten: start from the text sent.
  const initial = (d: NCDetail) =>
    d.local?.text ?? d.shared_draft?.text ?? (d.row.nc.stage === 'ca_returned' ? (d.row.nc.ca?.text ?? '') : '')
  const dirty = () => text.value !== synced

  const notice = computed(() => local.value?.notice ?? '')
  const conflict = computed(() => notice.value === 'draft_changed')
  const queued = computed(() => !!local.value?.queued)
  const ready = computed(() => !!local.value?.ready && !queued.value)
  const closed = computed(() => notice.value === 'nc_closed' || detail.value?.row.nc.stage === 'closed')
  /** The text can be typed in now. */
  const canEdit = computed(() => !!detail.value?.editable && !queued.value && !closed.value)
  /** "Save as draft" and "Ready to send" are offered (not while two versions wait for a choice). */
  const canAct = computed(() => canEdit.value && !conflict.value)

  // Take the text from the backend when another NC opens, or when it changed there
  // (a sync, another action) while nothing typed here is waiting to be saved.
  watch(
    () => [detail.value?.row.nc.id, local.value?.text, detail.value?.shared_draft?.text] as const,
    () => {
      const d = detail.value
      if (!d) return
      if (forId.value !== d.row.nc.id) {
        forId.value = d.row.nc.id
        text.value = synced = initial(d)
        error.value = ''
        mine.value = ''
      } else if (!dirty() && !timer && !saving.value && !busy.value) {
        text.value = synced = initial(d)
      }
    },
    { immediate: true },
  )

  // Keep the user's text as it was when the conflict appeared, for "keep mine".
  watch(
    () => [forId.value, conflict.value] as const,
    ([, c]) => {
      if (!c) mine.value = ''
      else if (!mine.value) mine.value = local.value?.text ?? text.value
    },
    { immediate: true },
  )

  function clearTimer() {
    if (timer) clearTimeout(timer)
    timer = null
  }

  /** input takes a keystroke and saves after a pause. */
  function input(v: string) {
    text.value = v
    error.value = ''
    clearTimer()
    timer = setTimeout(() => {
      timer = null
      void flush()
    }, AUTOSAVE_MS)
  }

  /** flush saves what was typed and not saved yet, now (blur, leaving, another NC). */
  function flush(): Promise<unknown> {
    clearTimer()
    const id = forId.value
    const value = text.value
    if (!id || !dirty()) return chain
    synced = value // claimed now: a second flush does not save it twice
    saving.value = true
    chain = chain
      .then(() => ca.autosave(id, value))
      .catch((e) => {
        if (forId.value === id) {
          error.value = errorCode(e)
          if (synced === value) synced = null // still unsaved: the next pause or blur retries
        }
      })
      .finally(() => {
        saving.value = false
      })
    return chain
  }

  /** act runs an action with the given text, after any save under way. */
  async function act(kind: CAAction, value: string, fn: (id: string, text: string) => Promise<LocalCA>) {
    clearTimer()
    const id = forId.value
    if (!id || busy.value) return false
    busy.value = kind
    error.value = ''
    try {
      await chain
      await fn(id, value)
      synced = value
      // A chosen text replaces what is shown; otherwise keep what was typed meanwhile.
      if (forId.value === id && kind === 'resolve') text.value = value
      return true
    } catch (e) {
      if (forId.value === id) error.value = errorCode(e)
      return false
    } finally {
      busy.value = ''
    }
  }

  const saveDraft = () => act('draft', text.value, ca.saveDraft)
  const toggleReady = () => {
    const on = !ready.value
    return act('ready', text.value, (id, v) => ca.setReady(id, v, on))
  }
  /** takeBack unmarks a queued CA while it has not been sent yet. */
  const takeBack = () => act('takeBack', local.value?.text ?? text.value, (id, v) => ca.setReady(id, v, false))
  /** resolve ends a conflict with the chosen text: mine, theirs, or the edited one. */
  const resolve = (chosen: string) => act('resolve', chosen, ca.resolve)

  const onWindowClose = () => void flush()
  onMounted(() => window.addEventListener('beforeunload', onWindowClose))
  onBeforeUnmount(() => {
    window.removeEventListener('beforeunload', onWindowClose)
    void flush()
  })
  // Moving to the previous / next NC keeps the same screen: save before the text changes.
  watch(ncId, () => void flush())

  return reactive({
    forId,
    text,
    saving,
    busy,
    error,
    mine,
    local,
    notice,
    conflict,
    queued,
    ready,
    closed,
    canEdit,
    canAct,
    input,
    flush,
    saveDraft,
    toggleReady,
    takeBack,
    resolve,
  })
}

export type CaEditor = ReturnType<typeof useCaEditor>
