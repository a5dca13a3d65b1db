// What the user reads: evidence sending named as evidence, counts and sizes in the
// language's own way, names and roles spaced, no generic placeholders.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { defineComponent, h } from 'vue'
import { NConfigProvider, NInput, NInputNumber } from 'naive-ui'
import * as backend from '../backend'
import NcDetailView from '../views/NcDetailView.vue'
import NcListView from '../views/NcListView.vue'
import { naiveLocale } from '../i18n/naive'
import { LANGS, type Lang } from '../i18n'
import { dashboard, detail, ncRow, syncStatus } from './fixtures'
import { handlers } from './backendMock'
import { mountScreen } from './mount'
import type { EvidenceRow, NCDetail } from '../types'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

beforeEach(() => {
  vi.clearAllMocks()
  handlers.clear()
  document.body.innerHTML = ''
  b.setLanguage.mockResolvedValue(undefined)
  b.syncStatus.mockResolvedValue(syncStatus())
  b.dashboard.mockResolvedValue(dashboard({ ready: 1 }))
  b.markRead.mockResolvedValue(undefined)
  b.markSeen.mockResolvedValue(undefined)
  b.outboxList.mockResolvedValue([])
  b.evidenceInbox.mockResolvedValue('/home/coop/Inbox')
  b.evidencePreferences.mockResolvedValue({ downscale: false, downscale_above_bytes: 0, pause_uploads: false })
})


const byTestId = (id: string) => document.body.querySelector(`[data-testid=${id}]`) as HTMLElement | null

describe('Send names what goes', () => {
  const CA = 'NC-1-2019'
  const EV = 'NC-2-2019'
  const rows = () => [
    ncRow({ id: CA }, { ready: true, action: 'ca' }),
    ncRow({ id: EV, stage: 'evidence_requested', ca_status: 'accepted', evidence_status: 'requested' }, { ready: true, action: 'evidence' }),
  ]

  async function send(ready: string[], lang: Lang) {
    b.ncs.mockResolvedValue(rows())
    b.caSendPreview.mockResolvedValue({ ready, not_ready: [], no_files: null, uploading: 0 })
    b.caSend.mockResolvedValue({ queued: ready, not_ready: [], online: true })
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs', lang })
    await wrapper.get('[data-testid=send-button]').trigger('click')
    await flushPromises()
    const confirm = byTestId('send-confirm-text')?.textContent ?? ''
    byTestId('send-confirm')!.click()
    await flushPromises()
    return { confirm, result: wrapper.get('[data-testid=send-result]').text() }
  }

  it.each([
    ['fr', 'preuves matérielles', 'Envoyé : les preuves matérielles de 1 non-conformité', 'mesure corrective'],
    ['en', 'objective evidence', 'Sent: evidence for 1 non-conformity', 'corrective measure'],
    ['es', 'evidencias objetivas', 'Enviadas: las evidencias de 1 no conformidad', 'medida correctiva'],
    ['pt', 'evidências objetivas', 'Enviadas: as evidências de 1 não conformidade', 'medida corretiva'],
  ] as const)('never calls evidence a corrective measure (%s)', async (lang, words, sent, ca) => {
    const { confirm, result } = await send([EV], lang)
    expect(confirm).toContain(words)
    expect(confirm).not.toContain(ca)
    expect(result).toBe(sent)
  })

  it('names both when corrective measures and evidence go together', async () => {
    const { confirm, result } = await send([CA, EV], 'fr')
    expect(confirm).toContain('les mesures correctives et les preuves matérielles')
    expect(result).toBe('Envoyé : 1 mesure corrective · Envoyé : les preuves matérielles de 1 non-conformité')
  })

  it('keeps the manual\'s sentence for corrective measures alone', async () => {
    const { confirm } = await send([CA], 'fr')
    expect(confirm).toBe(
      'En validant cette action, la mesure corrective entrée sera envoyée à FLOCERT pour évaluation. Voulez-vous poursuivre ?',
    )
  })
})

describe('NC screen wording', () => {
  const ID = 'NC-9-2019'
  let n = 0
  const ev = (size: number): EvidenceRow => ({
    evidence: {
      id: `ev-${++n}`,
      nc_id: ID,
      type: 'evidence',
      date: '2019-05-20',
      subject: '',
      file: { sha256: `s${n}`, name: `f${n}.pdf`, size, media_type: 'application/pdf' },
      added_at: '',
    },
    cached: true,
    local: true,
    state: 'attached',
    code: '',
    original_size: 0,
    image: false,
  })
  function open(d: NCDetail, lang: Lang) {
    b.nc.mockResolvedValue(d)
    return mountScreen(NcDetailView, { props: { id: ID }, path: `/ncs/${ID}?tab=evidence`, lang })
  }
  const evidenceNC = (rows: EvidenceRow[], over: Partial<NCDetail> = {}) =>
    detail(ncRow({ id: ID, stage: 'evidence_requested', ca_status: 'accepted', evidence_status: 'requested' }, { action: 'evidence' }), {
      evidence: rows,
      ...over,
    })

  it('shows no "(0)" on the evidence tab, and counts files in words', async () => {
    let { wrapper } = await open(evidenceNC([]), 'fr')
    expect(wrapper.get('[data-testid=tab-evidence]').text()).toBe('Preuves matérielles (documents)')
    wrapper.unmount()
    ;({ wrapper } = await open(evidenceNC([ev(148), ev(1900)]), 'fr'))
    expect(wrapper.get('[data-testid=tab-evidence]').text()).toBe('Preuves matérielles (documents) · 2 fichiers')
  })

  it.each([
    ['fr', ['148 o', '1,9 ko']],
    ['pt', ['148 B', '1,9 KB']],
    ['en', ['148 B', '1.9 kB']],
  ] as const)('writes sizes as %s does', async (lang, want) => {
    const { wrapper } = await open(evidenceNC([ev(148), ev(1900)]), lang)
    expect(wrapper.findAll('[data-testid=evidence-size]').map((s) => s.text())).toEqual(want)
  })

  it('spaces the author from the role: "Claire Dubois · Analyste"', async () => {
    const d = evidenceNC([], {
      messages: [{ id: 'm1', nc_id: ID, author: 'Claire Dubois', author_role: 'analyst', body: 'Bonjour', sent_at: '2019-05-20T10:00:00Z' }],
    })
    b.nc.mockResolvedValue(d)
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: ID }, path: `/ncs/${ID}?tab=communication`, lang: 'fr' })
    expect(wrapper.get('[data-testid=nc-message] .msg-head').text()).toMatch(/^Claire Dubois · Analyste · /)
  })

  it('says "échéance", which agrees with any deadline, never "était dû"', async () => {
    const fr = (await import('../i18n/fr.json')).default as unknown as { nc: { due: Record<string, string> } }
    for (const v of Object.values(fr.nc.due)) expect(v).toMatch(/^échéance/)
  })
})

describe('inputs', () => {
  it.each(LANGS.map((l) => [l]))('show no generic placeholder such as "Saisir" (%s)', (lang) => {
    const { locale, date } = naiveLocale(lang)
    const Root = defineComponent({
      setup: () => () => h(NConfigProvider, { locale, dateLocale: date }, () => [h(NInput), h(NInputNumber)]),
    })
    const w = mount(Root, { attachTo: document.body })
    for (const el of w.findAll('input')) expect(el.attributes('placeholder') ?? '').toBe('')
    expect(w.text()).not.toMatch(/Saisir|Please Input|Ingrese|Por favor/)
    w.unmount()
  })
})

describe('why can\'t I?', () => {
  const ID = 'NC-11-2019'
  const file = (sha: string): EvidenceRow => ({
    evidence: { id: `ev-${sha}`, nc_id: ID, type: 'evidence', date: '2019-05-20', subject: '', file: { sha256: sha, name: 'registre.odt', size: 2000, media_type: 'application/vnd.oasis.opendocument.text' }, added_at: '' },
    cached: true,
    local: false,
    state: 'submitted',
    code: '',
    original_size: 0,
    image: false,
  })

  it.each([
    ['ca_requested', 'fr', "Les preuves matérielles viennent après l'acceptation de votre mesure corrective"],
    ['ca_submitted', 'en', 'Objective evidence comes after your corrective measure is accepted'],
    ['closed', 'fr', 'Aucune information disponible.'],
  ] as const)('explains an empty evidence tab at %s (%s)', async (stage, lang, want) => {
    b.nc.mockResolvedValue(detail(ncRow({ id: ID, stage }), { evidence: [] }))
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: ID }, path: `/ncs/${ID}?tab=evidence`, lang })
    expect(wrapper.get('[data-testid=evidence-empty]').text()).toContain(want)
  })

  it('says when no program opens a file, and offers « Enregistrer sous… » beside it', async () => {
    b.nc.mockResolvedValue(detail(ncRow({ id: ID, stage: 'evidence_submitted' }), { evidence: [file('abc')] }))
    b.openFile.mockRejectedValue(new Error('no_viewer'))
    b.saveFileAs.mockResolvedValue(undefined)
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: ID }, path: `/ncs/${ID}?tab=evidence`, lang: 'fr' })
    expect(wrapper.find('[data-testid=evidence-no-viewer]').exists()).toBe(false)
    await wrapper.get('[data-testid=evidence-open]').trigger('click')
    await flushPromises()
    const note = wrapper.get('[data-testid=evidence-no-viewer]')
    expect(note.text()).toContain("Aucun programme de cet ordinateur n'ouvre ce fichier.")
    expect(note.attributes('title')).toContain('Enregistrez-en une copie')
    await note.get('[data-testid=evidence-no-viewer-save]').trigger('click')
    await flushPromises()
    expect(b.saveFileAs).toHaveBeenCalledWith('abc')
  })

  it('says why « Prête à envoyer » is disabled while two versions of the CA wait', async () => {
    b.nc.mockResolvedValue(
      detail(ncRow({ id: ID, stage: 'ca_requested' }), {
        local: { nc_id: ID, text: 'Mine', ready: false, queued: false, draft: 'local', notice: 'draft_changed', other_text: 'Theirs', other_by: 'Paul', updated_at: '' } as NCDetail['local'],
      }),
    )
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: ID }, path: `/ncs/${ID}`, lang: 'fr' })
    expect(wrapper.get('[data-testid=ca-ready]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid=ca-ready-why]').text()).toBe("Choisissez d'abord l'une des deux versions (ci-dessous), puis marquez-la prête.")
  })

  it('shows a failed « Ready to send » beside the button', async () => {
    b.nc.mockResolvedValue(
      detail(ncRow({ id: ID, stage: 'evidence_requested', ca_status: 'accepted', evidence_status: 'requested' }, { action: 'evidence' }), {
        evidence: [{ ...file('def'), local: true, state: 'attached' }],
      }),
    )
    b.evidenceSetReady.mockRejectedValue(new Error('disk_full'))
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: ID }, path: `/ncs/${ID}?tab=evidence`, lang: 'en' })
    await wrapper.get('[data-testid=evidence-ready]').trigger('click')
    await flushPromises()
    const err = wrapper.get('.evidence-actions [data-testid=evidence-ready-error]')
    expect(err.text()).toBe('The disk is full. Free some space so the app can save your data.')
  })
})
