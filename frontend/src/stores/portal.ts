import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import * as backend from '../backend'
import type {
  AuditRow,
  AuditCycle,
  CertificateRow,
  Certification,
  Standing,
  Contact,
  Criterion,
  Dashboard,
  DocumentRow,
  Evidence,
  GeneralThread,
  LocalCA,
  NCDetail,
  NCFilter,
  NCRow,
  Organisation,
} from '../types'

/**
 * Which change-log entities each screen's data is made of (api.Entity*, and the engine's
 * "outbox": pushed entries got their results).
 */
const DEPENDS: Record<string, string[]> = {
  dashboard: ['organisation', 'certification', 'certificate', 'nc', 'message', 'audit', 'ca_draft', 'outbox', 'evidence'],
  organisation: ['organisation'],
  certification: ['certification', 'certificate'],
  contacts: ['contact'],
  certificates: ['certificate'],
  documents: ['document'],
  audits: ['audit', 'nc'],
  cycles: ['audit', 'nc'],
  ncs: ['nc', 'audit', 'message', 'ca_draft', 'outbox', 'evidence'],
  detail: ['nc', 'audit', 'message', 'evidence', 'criterion', 'ca_draft', 'outbox'],
  checklist: ['criterion'],
  general: ['message', 'outbox'],
}

/**
 * matchesNC says whether a row contains every word of the search text, in its number,
 * audit, criterion, finding or service type (case- and accent-insensitive).
 */
export function matchesNC(row: NCRow, search: string): boolean {
  return matchesWords(row, searchWords(search))
}

export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/** searchWords splits a search text into the folded words that matchesWords looks for. */
function searchWords(search: string): string[] {
  return fold(search).split(/\s+/).filter(Boolean)
}

// The folded text of each row, made once per row: a search types over thousands of rows,
// and folding them again at every key cost more than the search itself. Rows are never
// changed in place (a reload brings new objects), so a row's text stays right.
const haystacks = new WeakMap<NCRow, string>()

function haystack(row: NCRow): string {
  let hay = haystacks.get(row)
  if (hay === undefined) {
    const n = row.nc
    hay = fold([n.id, n.audit_id, n.criterion_number, n.criterion_text, n.finding, row.service_type].join(' '))
    haystacks.set(row, hay)
  }
  return hay
}

function matchesWords(row: NCRow, words: string[]): boolean {
  if (words.length === 0) return true
  const hay = haystack(row)
  return words.every((w) => hay.includes(w))
}

/**
 * inFilter says which rows each of the list's filters shows, from the row's stage as
 * app/portal.go's stagesOf does: the list loads every NC once and filters here, so that
 * choosing a filter shows its rows at once instead of asking the backend again.
 */
export const inFilter: Record<NCFilter, (r: NCRow) => boolean> = {
  ca: (r) => r.nc.stage === 'ca_requested' || r.nc.stage === 'ca_returned',
  evidence: (r) => r.nc.stage === 'evidence_requested' || r.nc.stage === 'evidence_returned',
  sent: (r) => r.nc.stage === 'ca_submitted' || r.nc.stage === 'evidence_submitted',
  open: (r) => r.nc.stage !== 'closed',
  history: (r) => r.nc.stage === 'closed',
  all: () => true,
}

/** Rows of the dashboard's "needs action" table asked for at a time as the user scrolls. */
export const DASHBOARD_PAGE = 100

/** The portal's data, read from the local replica through the backend. */
export const usePortalStore = defineStore('portal', () => {
  // The dashboard carries the first page of the NCs awaiting an action (thousands in a
  // large organisation); dashboardMore holds the pages asked for as the user scrolls.
  // Replaced whole on each load, never deep-reactive.
  const dashboard = shallowRef<Dashboard | null>(null)
  const dashboardMore = shallowRef<NCRow[]>([])
  const dashboardActions = computed(() => {
    const first = dashboard.value?.actions ?? []
    return dashboardMore.value.length ? [...first, ...dashboardMore.value] : first
  })
  let askingMore: Promise<void> | null = null
  const organisation = ref<Organisation | null>(null)
  const certification = ref<Certification | null>(null)
  const standing = ref<Standing | null>(null)
  const contacts = ref<Contact[]>([])
  const certificates = ref<CertificateRow[]>([])
  const documents = ref<DocumentRow[]>([])
  const audits = ref<AuditRow[]>([])
  const cycles = ref<AuditCycle[]>([])
  const checklist = shallowRef<Criterion[]>([])

  // The NC list: every NC, loaded once and reloaded when the data changes (5,000 rows:
  // shallow, never deep-reactive), then the rows of the filter, then those of the search.
  const ncFilter = ref<NCFilter>('ca')
  const ncAll = shallowRef<NCRow[]>([])
  const ncRows = computed(() => (ncFilter.value === 'all' ? ncAll.value : ncAll.value.filter(inFilter[ncFilter.value])))
  const ncSearch = ref('')
  const ncVisible = computed(() => {
    const words = searchWords(ncSearch.value)
    return words.length ? ncRows.value.filter((r) => matchesWords(r, words)) : ncRows.value
  })

  const detail = ref<NCDetail | null>(null)
  const detailId = ref('')
  /** The organisation's thread with FLOCERT about no NC (Contacts page). */
  const general = ref<GeneralThread | null>(null)

  const loading = ref<Record<string, boolean>>({})
  const errors = ref<Record<string, string>>({}) // resource → error code
  const loaded = new Set<string>()
  const showing = new Map<string, Promise<void>>() // show's loads in flight

  /** NCs expecting an action and unread analyst messages: the badge of the NC menu item. */
  const badge = computed(() => {
    const d = dashboard.value
    return d ? d.ca_count + d.evidence_count : 0
  })
  const unread = computed(() => dashboard.value?.unread ?? 0)
  /** Analyst decisions and messages not seen yet: the second badge of the NC menu item. */
  const updates = computed(() => dashboard.value?.updates ?? 0)
  /** CAs marked ready to send: Send is offered when there is one. */
  const ready = computed(
    () => (dashboard.value?.ready ?? 0) > 0 || ncAll.value.some((r) => r.ready && !r.queued),
  )

  async function run<T>(key: string, fn: () => Promise<T>, set: (v: T) => void) {
    loading.value = { ...loading.value, [key]: true }
    try {
      set(await fn())
      loaded.add(key)
      const { [key]: _, ...rest } = errors.value
      errors.value = rest
    } catch (e) {
      errors.value = { ...errors.value, [key]: backend.errorCode(e) }
    } finally {
      loading.value = { ...loading.value, [key]: false }
    }
  }

  const loaders: Record<string, () => Promise<void>> = {
    // A reload keeps as many rows as were shown.
    dashboard: () =>
      run(
        'dashboard',
        async () => {
          const d = await backend.dashboard()
          const shown = dashboardMore.value.length
          const more = shown ? await backend.dashboardActions(d.actions?.length ?? 0, Math.min(shown, 1000)) : []
          return [d, more ?? []] as const
        },
        ([d, more]) => {
          dashboard.value = d
          dashboardMore.value = more
        },
      ),
    organisation: () => run('organisation', backend.organisation, (v) => (organisation.value = v)),
    certification: () =>
      run(
        'certification',
        () => Promise.all([backend.certification(), backend.standing()]),
        ([c, s]) => {
          certification.value = c
          standing.value = s
        },
      ),
    contacts: () => run('contacts', backend.contacts, (v) => (contacts.value = v ?? [])),
    certificates: () =>
      run('certificates', backend.certificates, (v) => (certificates.value = v ?? [])),
    documents: () => run('documents', backend.documents, (v) => (documents.value = v ?? [])),
    audits: () => run('audits', backend.audits, (v) => (audits.value = v ?? [])),
    cycles: () => run('cycles', backend.cycles, (v) => (cycles.value = v ?? [])),
    checklist: () => run('checklist', backend.checklist, (v) => (checklist.value = v ?? [])),
    general: () => run('general', backend.generalThread, (v) => (general.value = v)),
    ncs: () => run('ncs', () => backend.ncs('all'), (v) => (ncAll.value = v ?? [])),
    detail: () =>
      detailId.value
        ? run('detail', () => backend.nc(detailId.value), (v) => (detail.value = v))
        : Promise.resolve(),
  }

  const load = (key: keyof typeof DEPENDS) => loaders[key]()

  /**
   * show loads a screen's data unless it is loaded already: what is loaded is kept up to
   * date by dataChanged and localChanged.
   */
  function show(key: keyof typeof DEPENDS): Promise<void> {
    if (loaded.has(key)) return Promise.resolve()
    let p = showing.get(key)
    if (!p) {
      p = loaders[key]().finally(() => showing.delete(key))
      showing.set(key, p)
    }
    return p
  }

  /** setFilter shows another filter's rows: from the NCs loaded, without a reload. */
  async function setFilter(f: NCFilter) {
    ncFilter.value = f
    await show('ncs')
  }

  async function openNC(id: string) {
    if (detailId.value !== id) detail.value = null
    detailId.value = id
    await loaders.detail()
  }

  async function markRead(id: string) {
    try {
      await backend.markRead(id)
    } catch (e) {
      errors.value = { ...errors.value, markRead: backend.errorCode(e) }
      return
    }
    // Unread counts live in the dashboard, the list rows and the open NC's tab badge.
    await Promise.all([
      loaders.dashboard(),
      loaded.has('ncs') ? loaders.ncs() : undefined,
      id && detailId.value === id ? loaders.detail() : undefined,
      !id && loaded.has('general') ? loaders.general() : undefined,
    ])
  }

  /** markSeen clears an opened NC's "updates" badge, then the counts that show it. */
  async function markSeen(id: string) {
    try {
      await backend.markSeen(id)
    } catch (e) {
      errors.value = { ...errors.value, markSeen: backend.errorCode(e) }
      return
    }
    await Promise.all([loaders.dashboard(), loaded.has('ncs') ? loaders.ncs() : undefined])
  }

  /**
   * localChanged reloads what a local action changed (a CA marked ready, sent, a message
   * written): the counts, the list, and the NC when it is open (any NC when id is empty).
   */
  async function localChanged(id = '') {
    await Promise.all([
      loaders.dashboard(),
      loaded.has('ncs') ? loaders.ncs() : undefined,
      !id || detailId.value === id ? loaders.detail() : undefined,
    ])
  }

  /** patchLocal shows a CA the backend just saved in the open NC, without a reload. */
  function patchLocal(v: LocalCA | null | undefined) {
    if (v && detail.value && detail.value.row.nc.id === v.nc_id) detail.value = { ...detail.value, local: v }
  }

  /** patchEvidence shows a file's change (its subject) in the open NC, without a reload. */
  function patchEvidence(id: string, change: Partial<Evidence>) {
    const d = detail.value
    if (!d?.evidence?.some((r) => r.evidence.id === id)) return
    detail.value = {
      ...d,
      evidence: d.evidence.map((r) => (r.evidence.id === id ? { ...r, evidence: { ...r.evidence, ...change } } : r)),
    }
  }

  /** dataChanged reloads what a sync changed, for the screens already loaded. */
  async function dataChanged(entities: string[]) {
    const changed = new Set(entities)
    const todo = Object.keys(DEPENDS).filter(
      (k) => loaded.has(k) && DEPENDS[k].some((e) => changed.has(e)),
    )
    await Promise.all(todo.map((k) => loaders[k]()))
  }

  /** moreActions asks for the next page of the dashboard's "needs action" rows, if any. */
  function moreActions(): Promise<void> {
    const d = dashboard.value
    const have = dashboardActions.value.length
    if (!d || askingMore || have >= (d.actions_total ?? 0)) return askingMore ?? Promise.resolve()
    askingMore = backend
      .dashboardActions(have, DASHBOARD_PAGE)
      .then((rows) => {
        // A reload in between replaced the first page: these rows may no longer follow it.
        if (dashboard.value === d && dashboardActions.value.length === have) {
          dashboardMore.value = [...dashboardMore.value, ...(rows ?? [])]
        }
      })
      .catch((e) => {
        errors.value = { ...errors.value, dashboard: backend.errorCode(e) }
      })
      .finally(() => (askingMore = null))
    return askingMore
  }

  /** reset forgets everything shown, at logout. */
  function reset() {
    dashboard.value = null
    dashboardMore.value = []
    organisation.value = null
    certification.value = null
    standing.value = null
    contacts.value = []
    certificates.value = []
    documents.value = []
    audits.value = []
    cycles.value = []
    checklist.value = []
    ncAll.value = []
    detail.value = null
    detailId.value = ''
    general.value = null
    errors.value = {}
    loaded.clear()
    showing.clear()
  }

  return {
    dashboard,
    dashboardActions,
    moreActions,
    organisation,
    certification,
    standing,
    contacts,
    certificates,
    documents,
    audits,
    cycles,
    checklist,
    ncFilter,
    ncAll,
    ncRows,
    ncSearch,
    ncVisible,
    detail,
    detailId,
    general,
    loading,
    errors,
    badge,
    unread,
    updates,
    ready,
    load,
    show,
    setFilter,
    openNC,
    markRead,
    markSeen,
    localChanged,
    patchLocal,
    patchEvidence,
    dataChanged,
    reset,
  }
})
