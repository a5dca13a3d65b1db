// Evidence files ("Preuves Matérielles"): adding them (dialog, drop, inbox), the table
// and each file's state with upload progress, subject and removal, the ready mark,
// upload progress and pause in the status bar, the preferences, and Send's warnings.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import * as backend from '../backend'
import NcDetailView from '../views/NcDetailView.vue'
import NcListView from '../views/NcListView.vue'
import StatusBar from '../components/shell/StatusBar.vue'
import App from '../App.vue'
import { useEvidenceStore, DROP_WAIT_MS, MB } from '../stores/evidence'
import { useSessionStore } from '../stores/session'
import { dashboard, detail, ncRow, syncStatus } from './fixtures'
import { emit, handlers } from './backendMock'
import { mountScreen } from './mount'
import type { AttachResult, EvidenceRow, NCDetail, Preferences } from '../types'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

const ID = 'NC-167140-2019'
const loggedIn = { logged_in: true, server: 'http://ecert', username: 'coop', name: 'Coop', org_id: '1', org_name: 'Coop', has_data: true, token_store: '' }
const PREFS: Preferences = { downscale: true, downscale_above_bytes: 3 * MB, pause_uploads: false }

beforeEach(() => {
  vi.clearAllMocks()
  handlers.clear()
  document.body.innerHTML = ''
  b.language.mockResolvedValue('en')
  b.setLanguage.mockResolvedValue(undefined)
  b.syncStatus.mockResolvedValue(syncStatus())
  b.dashboard.mockResolvedValue(dashboard())
  b.ncs.mockResolvedValue([])
  b.markRead.mockResolvedValue(undefined)
  b.markSeen.mockResolvedValue(undefined)
  b.outboxList.mockResolvedValue([])
  b.evidenceInbox.mockResolvedValue('/home/coop/.local/share/ecert-desktop/Inbox')
  b.evidencePreferences.mockResolvedValue({ ...PREFS })
  b.evidenceSetPreferences.mockResolvedValue(undefined)
  b.evidenceSetSubject.mockResolvedValue(undefined)
  b.evidenceRemove.mockResolvedValue(undefined)
  b.evidenceSetReady.mockResolvedValue(undefined)
  b.evidenceOpenInbox.mockResolvedValue(undefined)
  b.openFile.mockResolvedValue(undefined)
})

afterEach(() => {
  vi.useRealTimers()
})

let n = 0
function evRow(over: Partial<EvidenceRow> = {}, ev: Partial<EvidenceRow['evidence']> = {}): EvidenceRow {
  n++
  return {
    evidence: {
      id: `ev-${n}`,
      nc_id: ID,
      type: 'evidence',
      date: '2019-05-20',
      subject: '',
      file: { sha256: `sha${n}`, name: `file-${n}.pdf`, size: 2_500_000, media_type: 'application/pdf' },
      added_at: '2019-05-20T10:00:00Z',
      ...ev,
    },
    cached: true,
    local: true,
    state: 'local',
    code: '',
    original_size: 0,
    image: false,
    ...over,
  }
}

function ncDetail(rows: EvidenceRow[] = [], over: Partial<NCDetail> = {}, stage = 'evidence_requested', row: Parameters<typeof ncRow>[1] = {}) {
  return detail(ncRow({ id: ID, stage, ca_status: 'accepted', evidence_status: 'requested' }, { action: 'evidence', ...row }), {
    evidence: rows,
    ...over,
  })
}

/** Opens the NC on its evidence tab. */
async function open(d: NCDetail, lang: 'en' | 'fr' | 'es' = 'en') {
  b.nc.mockResolvedValue(d)
  const m = await mountScreen(NcDetailView, { props: { id: d.row.nc.id }, path: `/ncs/${d.row.nc.id}?tab=evidence`, lang })
  await flushPromises()
  return m
}

const rowsOf = (w: VueWrapper) => w.findAll('[data-testid=evidence-row]')
const rowOf = (w: VueWrapper, id: string) => w.get(`[data-testid=evidence-row][data-evidence-id="${id}"]`)

function result(over: Partial<AttachResult>): AttachResult {
  return { path: '/home/coop/x', name: 'x', id: '', code: '', size: 0, original_size: 0, ...over }
}

describe('adding files', () => {
  it('adds with the dialog and says what was attached and, per refused file, why and what to do', async () => {
    const { wrapper } = await open(ncDetail())
    expect(wrapper.get('[data-testid=evidence-drop]').text()).toContain('Drag files/images here')
    b.evidenceAddWithDialog.mockResolvedValue([
      result({ path: '/d/attendance.pdf', name: 'attendance.pdf', id: 'ev-a', size: 120_000 }),
      result({ path: '/d/photo.jpg', name: 'photo.jpg', id: 'ev-b', size: 900_000, original_size: 6_200_000 }),
      result({ path: '/d/video.mp4', name: 'video.mp4', code: 'too_large' }),
      result({ path: '/d/setup.exe', name: 'setup.exe', code: 'type_refused' }),
      result({ path: '/d/locked.docx', name: 'locked.docx', code: 'unreadable' }),
    ])
    b.nc.mockClear()
    await wrapper.get('[data-testid=evidence-add]').trigger('click')
    await flushPromises()
    expect(b.evidenceAddWithDialog).toHaveBeenCalledWith(ID)
    expect(b.nc).toHaveBeenCalled() // the table reloads
    const box = wrapper.get('[data-testid=evidence-result]')
    expect(box.text()).toContain('2 files added:')
    const ok = wrapper.findAll('[data-testid=evidence-result-ok]').map((li) => li.text())
    expect(ok[0]).toBe('attendance.pdf')
    expect(ok[1]).toContain('a smaller copy (900.0 kB) will be sent; the original (6.2 MB) stays on this computer')
    const refused = wrapper.findAll('[data-testid=evidence-result-refused]')
    expect(refused.map((li) => li.attributes('data-code'))).toEqual(['too_large', 'type_refused', 'unreadable'])
    expect(refused[0].text()).toContain("video.mp4 is over the Ecert server's size limit — send a smaller copy")
    expect(refused[0].text()).toContain('split it into several files')
    expect(refused[1].text()).toContain('save it as a PDF or a photo (JPEG, PNG)')
    expect(refused[2].text()).toContain('is not open in another program')
  })

  it("says the server's limit and the accepted types when it knows them", async () => {
    const { wrapper } = await open(ncDetail())
    b.evidenceAddWithDialog.mockResolvedValue([
      result({ path: '/d/video.mp4', name: 'video.mp4', code: 'too_large', max_bytes: 100 * 1024 * 1024 }),
      result({ path: '/d/setup.exe', name: 'setup.exe', code: 'type_refused', types: ['.pdf', '.jpg'] }),
    ])
    await wrapper.get('[data-testid=evidence-add]').trigger('click')
    await flushPromises()
    const refused = wrapper.findAll('[data-testid=evidence-result-refused]').map((li) => li.text())
    expect(refused[0]).toMatch(/video\.mp4 is over the Ecert server's limit of \d/)
    expect(refused[1]).toContain('Accepted: .pdf .jpg')
  })

  it('does nothing when the dialog is cancelled, and says it plainly when the NC takes no evidence', async () => {
    const { wrapper } = await open(ncDetail())
    b.evidenceAddWithDialog.mockResolvedValue([])
    await wrapper.get('[data-testid=evidence-add]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=evidence-result]').exists()).toBe(false)
    b.evidenceAddWithDialog.mockRejectedValue('not_awaiting_evidence')
    await wrapper.get('[data-testid=evidence-drop]').trigger('click') // the zone opens the dialog too
    await flushPromises()
    expect(wrapper.get('[data-testid=evidence-result-error]').text()).toBe(
      'This non-conformity does not take objective evidence now.',
    )
  })

  it('marks the drop zone for Wails and attaches files dropped with their paths', async () => {
    const { wrapper } = await open(ncDetail())
    b.evidenceAddFiles.mockResolvedValue([result({ path: '/home/coop/a.pdf', name: 'a.pdf', id: 'ev-x', size: 10 })])
    const zone = wrapper.get('[data-testid=evidence-drop]')
    expect(zone.classes()).toContain('drop') // .drop { --wails-drop-target: drop }
    await zone.trigger('drop', { dataTransfer: { files: [{ name: 'a.pdf', path: '/home/coop/a.pdf' }] } })
    await flushPromises()
    expect(b.evidenceAddFiles).toHaveBeenCalledWith(ID, ['/home/coop/a.pdf'])
    expect(wrapper.get('[data-testid=evidence-result-ok]').text()).toBe('a.pdf')
    // Go reports the same drop: it is not attached twice.
    useEvidenceStore().dropped(['/home/coop/a.pdf'])
    await flushPromises()
    expect(b.evidenceAddFiles).toHaveBeenCalledTimes(1)
  })

  it('points to « Add files… » when a drop gives no paths and Go does not pass them', async () => {
    const { wrapper } = await open(ncDetail())
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    await wrapper.get('[data-testid=evidence-drop]').trigger('drop', { dataTransfer: { files: [{ name: 'a.pdf' }] } })
    expect(b.evidenceAddFiles).not.toHaveBeenCalled()
    vi.advanceTimersByTime(DROP_WAIT_MS + 10)
    await flushPromises()
    expect(wrapper.get('[data-testid=evidence-drop-nopath]').text()).toContain('Use « Add files… »')
  })

  it('shows the inbox folder of the NC and opens it', async () => {
    const { wrapper } = await open(ncDetail())
    expect(wrapper.get('[data-testid=evidence-inbox-path]').text()).toBe(`/home/coop/.local/share/ecert-desktop/Inbox/${ID}`)
    expect(wrapper.get('[data-testid=evidence-inbox]').text()).toContain('attached to this non-conformity automatically')
    await wrapper.get('[data-testid=evidence-inbox-open]').trigger('click')
    await flushPromises()
    expect(b.evidenceOpenInbox).toHaveBeenCalledWith(ID)
  })

  it('offers no adding when the NC does not await evidence', async () => {
    const { wrapper } = await open(ncDetail([evRow({ state: 'submitted', local: false }, { submitted: true })], {}, 'evidence_submitted', { action: '' }))
    expect(wrapper.find('[data-testid=evidence-drop]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=evidence-add]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=evidence-ready]').exists()).toBe(false)
    expect(rowsOf(wrapper)).toHaveLength(1)
  })
})

describe('the evidence table', () => {
  const waiting = () => evRow({ image: true }, { file: { sha256: 'aaa', name: 'training.jpg', size: 1_800_000, media_type: 'image/jpeg' } })

  it('has the manual columns and every state', async () => {
    const rows = [
      waiting(),
      evRow({ state: 'queued' }),
      evRow({ state: 'attached', original_size: 7_300_000 }, { subject: 'Minutes' }),
      evRow({ state: 'refused', code: 'quota_exceeded' }),
      evRow({ state: 'submitted', local: false }, { submitted: true, decision: 'accepted', subject: 'Sent before' }),
    ]
    const { wrapper } = await open(ncDetail(rows))
    const heads = wrapper.findAll('[data-testid=evidence-table] th').map((th) => th.text())
    // The subject is under the file's name (« Subject: … » once sent), so the table fits 1024 px.
    expect(heads).toEqual(['Download', 'File name', 'Date', 'Size', 'Status'])
    expect(rowsOf(wrapper)).toHaveLength(5)
    expect(rowOf(wrapper, rows[4].evidence.id).get('td:nth-child(2)').text()).toMatch(/Subject:\s*Sent before/)
    const first = rowOf(wrapper, rows[0].evidence.id)
    expect(first.get('[data-testid=evidence-name]').text()).toBe('training.jpg')
    expect(first.get('[data-testid=evidence-thumb]').attributes('src')).toBe('/thumbs/aaa')
    expect(first.text()).toContain('Objective evidence')
    expect(first.get('[data-testid=evidence-date]').text()).toBe('20/05/2019')
    expect(first.get('[data-testid=evidence-size]').text()).toBe('1.8 MB')
    const states = rows.map((r) => rowOf(wrapper, r.evidence.id).get('[data-testid=evidence-state]').text())
    expect(states).toEqual([
      'Waiting to upload',
      'Uploaded — being attached',
      'Attached',
      "Refused: Your organisation's storage space on the Ecert server is full. Contact your analyst.",
      'Sent — accepted',
    ])
    expect(rowOf(wrapper, rows[2].evidence.id).get('[data-testid=evidence-original]').text()).toBe(
      'original 7.3 MB kept on this computer',
    )
    await first.get('[data-testid=evidence-open]').trigger('click')
    expect(b.openFile).toHaveBeenCalledWith('aaa')
  })

  it('uses the portal words in French', async () => {
    const { wrapper } = await open(ncDetail([evRow()]), 'fr')
    expect(wrapper.get('[data-testid=evidence-drop]').text()).toContain('Faire glisser des fichiers/images ici')
    const heads = wrapper.findAll('[data-testid=evidence-table] th').map((th) => th.text())
    // « Type de fichier » and « Sujet » are under the name, « Retirer » under the state:
    // the table fits a 1024 px window.
    expect(heads).toEqual(['Télécharger', 'Nom fichier', 'Date', 'Taille', 'Statut'])
    expect(wrapper.get('[data-testid=evidence-type]').text()).toBe('Preuves Matérielles')
    const cells = wrapper.get('[data-testid=evidence-row]').findAll('td')
    expect(cells[1].find('[data-testid=evidence-subject]').attributes('placeholder')).toBe('Ce que montre ce fichier')
    expect(cells[4].get('[data-testid=evidence-remove]').text()).toBe('Retirer')
    expect(wrapper.get('[data-testid=evidence-row]').text()).toContain('Preuves Matérielles')
    expect(wrapper.get('[data-testid=evidence-ready]').text()).toBe('Prête à envoyer')
  })

  it('shows upload progress from upload:progress on the matching row', async () => {
    const row = waiting()
    const other = evRow()
    const { wrapper } = await open(ncDetail([row, other]))
    const store = useEvidenceStore()
    // The screen's event wiring lives in the shell; it hands events to the store.
    store.onProgress({ sha256: 'aaa', name: 'training.jpg', done: 810_000, total: 1_800_000, all_done: 810_000, all_total: 4_300_000, files: 2, completed: false })
    await flushPromises()
    const state = rowOf(wrapper, row.evidence.id).get('[data-testid=evidence-state]')
    expect(state.text()).toBe('Uploading 45%')
    expect(state.get('[data-testid=evidence-progress]').attributes('data-percent')).toBe('45')
    expect(rowOf(wrapper, other.evidence.id).get('[data-testid=evidence-state]').text()).toBe('Waiting to upload')
  })

  it('saves a subject on blur and on Enter, only when it changed', async () => {
    const row = evRow({}, { subject: 'Old' })
    const { wrapper } = await open(ncDetail([row]))
    const input = wrapper.get<HTMLInputElement>('[data-testid=evidence-subject]')
    expect(input.element.value).toBe('Old')
    await input.trigger('blur')
    await flushPromises()
    expect(b.evidenceSetSubject).not.toHaveBeenCalled()
    await input.setValue('Attendance list of the training')
    await input.trigger('blur')
    await flushPromises()
    expect(b.evidenceSetSubject).toHaveBeenCalledWith(row.evidence.id, 'Attendance list of the training')
    await input.setValue('Attendance list, 12 May')
    await input.trigger('keyup', { key: 'Enter' })
    await flushPromises()
    expect(b.evidenceSetSubject).toHaveBeenLastCalledWith(row.evidence.id, 'Attendance list, 12 May')
    expect(b.evidenceSetSubject).toHaveBeenCalledTimes(2)
  })

  it('removes files not sent yet, and only those', async () => {
    const mine = evRow({ state: 'attached' })
    const sent = evRow({ state: 'submitted', local: false }, { submitted: true, subject: 'Sent' })
    const { wrapper } = await open(ncDetail([mine, sent], {}, 'evidence_returned'))
    expect(rowOf(wrapper, sent.evidence.id).find('[data-testid=evidence-remove]').exists()).toBe(false)
    expect(rowOf(wrapper, sent.evidence.id).find('[data-testid=evidence-subject]').exists()).toBe(false)
    expect(rowOf(wrapper, sent.evidence.id).get('[data-testid=evidence-subject-text]').text()).toBe('Sent')
    b.nc.mockClear()
    await rowOf(wrapper, mine.evidence.id).get('[data-testid=evidence-remove]').trigger('click')
    await flushPromises()
    expect(b.evidenceRemove).toHaveBeenCalledWith(mine.evidence.id)
    expect(b.nc).toHaveBeenCalled()
  })

  it('explains why the evidence came back', async () => {
    const { wrapper } = await open(ncDetail([evRow()], { evidence_notice: 'no_evidence' }))
    expect(wrapper.get('[data-testid=evidence-notice]').text()).toContain('no file was attached')
  })

  it('lists the evidence sent with the analyst decisions', async () => {
    const sent = evRow({ state: 'submitted', local: false }, { submitted: true, decision: 'returned', file: { sha256: 's', name: 'list.pdf', size: 1, media_type: 'application/pdf' } })
    const d = ncDetail([sent], {}, 'evidence_returned')
    d.row.nc.evidence_history = [
      { files: [sent.evidence.id], submitted_by: 'Coop User', submitted_at: '2019-05-01T10:00:00Z', decision: 'returned', comment: 'The list is not signed.', decided_at: '2019-05-10T10:00:00Z' },
    ]
    const { wrapper } = await open(d)
    const item = wrapper.get('[data-testid=evidence-history-item]')
    expect(item.text()).toContain('File: list.pdf')
    // In the evidence's own words, not the corrective measures'.
    expect(item.text()).toContain('Evidence sent on')
    expect(item.text()).toContain('by Coop User')
    expect(item.text()).toContain('Evaluated on')
    expect(item.get('[data-testid=evidence-history-decision]').text()).toBe('Returned')
    expect(item.get('[data-testid=evidence-history-comment]').text()).toBe('The list is not signed.')
  })
})

describe('« Ready to send » for evidence', () => {
  it('marks and unmarks the NC ready, beside the title, with no CA buttons', async () => {
    const d = ncDetail([evRow({ state: 'attached' })])
    const { wrapper } = await open(d)
    expect(wrapper.find('[data-testid=ca-ready]').exists()).toBe(false)
    const btn = wrapper.get('[data-testid=evidence-ready]')
    expect(btn.text()).toBe('Ready to send')
    b.nc.mockResolvedValue({ ...d, evidence_ready: true, row: { ...d.row, ready: true } })
    await btn.trigger('click')
    await flushPromises()
    expect(b.evidenceSetReady).toHaveBeenCalledWith(ID, true)
    expect(wrapper.get('[data-testid=evidence-ready]').text()).toBe('✓ Ready to send')
    expect(wrapper.get('[data-testid=evidence-ready-hint]').text()).toBe('Ready to send — will go with Send')
    expect(wrapper.get('[data-testid=nc-expect-headline]').text()).toContain('Ready to send (✓)')
    await wrapper.get('[data-testid=evidence-ready]').trigger('click')
    await flushPromises()
    expect(b.evidenceSetReady).toHaveBeenLastCalledWith(ID, false)
  })

  it('cannot be marked without a file', async () => {
    const { wrapper } = await open(ncDetail([]))
    expect(wrapper.get('[data-testid=evidence-ready]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid=evidence-ready-nofiles]').text()).toBe('Add at least one file first')
  })

  it('says a queued NC goes once its files are uploaded', async () => {
    const { wrapper } = await open(ncDetail([evRow()], { evidence_ready: true }, 'evidence_requested', { queued: true }))
    expect(wrapper.get('[data-testid=evidence-ready-hint]').text()).toBe('Queued — goes to FLOCERT once its files are uploaded')
    expect(wrapper.get('[data-testid=nc-expect-headline]').text()).toContain('Queued — will be sent once its files are uploaded')
  })
})

describe('status bar: uploads and preferences', () => {
  async function bar() {
    const m = await mountScreen(StatusBar)
    const session = useSessionStore()
    session.state = { ...session.state, logged_in: true, username: 'coop' }
    const store = useEvidenceStore()
    await store.loadPrefs()
    await flushPromises()
    return { ...m, store }
  }

  it('shows the upload with its size and pauses and resumes it', async () => {
    const { wrapper, store } = await bar()
    expect(wrapper.find('[data-testid=status-upload]').exists()).toBe(false)
    store.onProgress({ sha256: 'a', name: 'a.jpg', done: 2_000_000, total: 5_000_000, all_done: 12_400_000, all_total: 50_000_000, files: 2, completed: false })
    await flushPromises()
    expect(wrapper.get('[data-testid=status-upload]').text()).toContain('Uploading 2 files — 12.4 of 50.0 MB')
    expect(wrapper.get('[data-testid=upload-pause]').text()).toBe('Pause')
    await wrapper.get('[data-testid=upload-pause]').trigger('click')
    await flushPromises()
    expect(b.evidenceSetPreferences).toHaveBeenCalledWith({ ...PREFS, pause_uploads: true })
    expect(wrapper.get('[data-testid=status-upload]').text()).toContain('Upload paused: 2 files — 12.4 of 50.0 MB')
    expect(wrapper.get('[data-testid=upload-pause]').text()).toBe('Resume')
    await wrapper.get('[data-testid=upload-pause]').trigger('click')
    await flushPromises()
    expect(b.evidenceSetPreferences).toHaveBeenLastCalledWith({ ...PREFS, pause_uploads: false })
  })

  it('applies progress at most every few hundred ms, and hides it when the last file is done', async () => {
    const { wrapper, store } = await bar()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const p = (done: number, over = {}) => ({ sha256: 'a', name: 'a.jpg', done, total: 10_000_000, all_done: done, all_total: 10_000_000, files: 1, completed: false, ...over })
    store.onProgress(p(1_000_000))
    store.onProgress(p(2_000_000))
    store.onProgress(p(3_000_000))
    await flushPromises()
    expect(wrapper.get('[data-testid=status-upload]').text()).toContain('1.0 of 10.0 MB')
    vi.advanceTimersByTime(300)
    await flushPromises()
    expect(wrapper.get('[data-testid=status-upload]').text()).toContain('3.0 of 10.0 MB')
    vi.advanceTimersByTime(300)
    store.onProgress(p(10_000_000, { completed: true }))
    await flushPromises()
    expect(wrapper.find('[data-testid=status-upload]').exists()).toBe(false)
    // The finished file stays known as uploaded until its row reloads.
    expect(store.progress.a?.completed).toBe(true)
  })

  it('keeps a resume button while uploads are paused, even with nothing moving', async () => {
    b.evidencePreferences.mockResolvedValue({ ...PREFS, pause_uploads: true })
    const { wrapper } = await bar()
    expect(wrapper.get('[data-testid=status-upload]').text()).toContain('Uploads paused')
    expect(wrapper.get('[data-testid=upload-pause]').text()).toBe('Resume')
  })

  it('sets "send a smaller copy of photos larger than N MB"', async () => {
    const { wrapper } = await bar()
    await wrapper.get('[data-testid=status-settings]').trigger('click')
    await flushPromises()
    const box = document.body.querySelector('[data-testid=prefs]') as HTMLElement
    expect(box.textContent).toContain('Send a smaller copy of photos larger than')
    const mb = document.body.querySelector('[data-testid=pref-downscale-mb]') as HTMLInputElement
    expect(mb.value).toBe('3')
    mb.value = '5'
    mb.dispatchEvent(new Event('input'))
    mb.dispatchEvent(new Event('blur'))
    await flushPromises()
    expect(b.evidenceSetPreferences).toHaveBeenLastCalledWith({ ...PREFS, downscale_above_bytes: 5 * MB })
    ;(document.body.querySelector('[data-testid=pref-downscale]') as HTMLElement).click()
    await flushPromises()
    expect(b.evidenceSetPreferences).toHaveBeenLastCalledWith({ ...PREFS, downscale: false, downscale_above_bytes: 5 * MB })
  })
})

describe('the shell: events of the evidence', () => {
  async function app() {
    b.sessionState.mockResolvedValue(loggedIn)
    b.loginDefaults.mockResolvedValue({ server: '', username: '', password: '' })
    const m = await mountScreen(App)
    await flushPromises()
    return m
  }

  it('attaches files dropped on the window to the open NC awaiting evidence', async () => {
    b.nc.mockResolvedValue(ncDetail([]))
    b.evidenceAddFiles.mockResolvedValue([result({ path: '/d/a.pdf', name: 'a.pdf', id: 'ev-a', size: 1 })])
    const { wrapper, router } = await app()
    await router.push(`/ncs/${ID}`)
    await flushPromises()
    emit('files:dropped', ['/d/a.pdf', '/d/b.png'])
    await flushPromises()
    expect(b.evidenceAddFiles).toHaveBeenCalledWith(ID, ['/d/a.pdf', '/d/b.png'])
    expect(wrapper.get('[data-testid=evidence-result-ok]').text()).toBe('a.pdf') // the evidence tab opened
  })

  it('attaches nothing dropped elsewhere, and says where to drop', async () => {
    await app()
    emit('files:dropped', ['/d/a.pdf'])
    await flushPromises()
    expect(b.evidenceAddFiles).not.toHaveBeenCalled()
    expect(document.body.textContent).toContain('open a non-conformity that awaits objective evidence')
  })

  it('tells about files the inbox attached; a click opens the NC on its evidence', async () => {
    b.nc.mockResolvedValue(ncDetail([]))
    const { router } = await app()
    emit('evidence:attached', {
      nc_id: ID,
      files: [
        result({ name: 'a.pdf', id: 'ev-1' }),
        result({ name: 'b.pdf', id: 'ev-2' }),
        result({ name: 'c.exe', code: 'type_refused' }),
      ],
    })
    await flushPromises()
    const note = document.body.querySelector('[data-testid=notify-evidence]') as HTMLElement
    expect(note.textContent).toContain(`2 files from the inbox attached to ${ID}`)
    expect(note.textContent).toContain('c.exe is a type of file the Ecert server does not accept')
    note.click()
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe(`/ncs/${ID}?tab=evidence`)
  })

  it('follows upload:progress in the status bar and on the row of the file', async () => {
    const row = evRow({}, { file: { sha256: 'a', name: 'a.jpg', size: 2_000_000, media_type: 'image/jpeg' } })
    b.nc.mockResolvedValue(ncDetail([row]))
    const { wrapper, router } = await app()
    await router.push(`/ncs/${ID}?tab=evidence`)
    await flushPromises()
    expect(rowOf(wrapper, row.evidence.id).get('[data-testid=evidence-state]').text()).toBe('Waiting to upload')
    emit('upload:progress', { sha256: 'a', name: 'a.jpg', done: 1_000_000, total: 2_000_000, all_done: 1_000_000, all_total: 2_000_000, files: 1, completed: false })
    await flushPromises()
    expect(wrapper.get('[data-testid=status-upload]').text()).toContain('Uploading 1 file — 1.0 of 2.0 MB')
    expect(rowOf(wrapper, row.evidence.id).get('[data-testid=evidence-state]').text()).toBe('Uploading 50%')
  })
})

describe('Send with evidence', () => {
  const byTestId = (id: string) => document.body.querySelector(`[data-testid=${id}]`) as HTMLElement | null

  it('lists the NCs ready without a file and the files still uploading, then goes back or sends anyway', async () => {
    b.ncs.mockResolvedValue([ncRow({ id: 'NC-1-2019', stage: 'evidence_requested' }, { action: 'evidence', ready: true })])
    b.dashboard.mockResolvedValue(dashboard({ ready: 1 }))
    b.caSendPreview.mockResolvedValue({ ready: ['NC-1-2019', 'NC-2-2019'], not_ready: [], no_files: ['NC-2-2019'], uploading: 3 })
    b.caSend.mockResolvedValue({ queued: ['NC-1-2019', 'NC-2-2019'], not_ready: [], online: true })
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs' })
    await wrapper.get('[data-testid=send-button]').trigger('click')
    await flushPromises()
    expect(byTestId('send-no-files')?.textContent).toContain('These NCs are marked ready but have no file: NC-2-2019')
    expect(byTestId('send-uploading')?.textContent).toContain('3 files are still uploading; they go first')
    expect(byTestId('send-cancel')?.textContent?.trim()).toBe('Go back')
    expect(byTestId('send-confirm')?.textContent?.trim()).toBe('Send anyway')
    byTestId('send-cancel')!.click()
    await flushPromises()
    expect(b.caSend).not.toHaveBeenCalled()
    await wrapper.get('[data-testid=send-button]').trigger('click')
    await flushPromises()
    byTestId('send-confirm')!.click()
    await flushPromises()
    expect(b.caSend).toHaveBeenCalledOnce()
  })

  it('says nothing more when every ready NC has its files uploaded', async () => {
    b.ncs.mockResolvedValue([ncRow({ id: 'NC-1-2019' }, { ready: true })])
    b.caSendPreview.mockResolvedValue({ ready: ['NC-1-2019'], not_ready: [], no_files: [], uploading: 0 })
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs' })
    await wrapper.get('[data-testid=send-button]').trigger('click')
    await flushPromises()
    expect(byTestId('send-no-files')).toBeNull()
    expect(byTestId('send-uploading')).toBeNull()
    expect(byTestId('send-confirm')?.textContent?.trim()).toBe('Send')
  })
})
