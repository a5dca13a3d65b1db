import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import * as backend from '../backend'
import NcListView from '../views/NcListView.vue'
import { dashboard, ncRow, syncStatus } from './fixtures'
import { handlers } from './backendMock'
import { mountScreen } from './mount'
import type { CalendarSubscription } from '../types'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

const URL = 'https://ecert.example.org/api/v1/calendar/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde.ics'
const sub = (over: Partial<CalendarSubscription> = {}): CalendarSubscription => ({
  active: true,
  url: URL,
  created_at: '2019-06-10T09:00:00Z',
  lang: 'en',
  ...over,
})

beforeEach(() => {
  vi.clearAllMocks()
  handlers.clear()
  document.body.innerHTML = ''
  b.syncStatus.mockResolvedValue(syncStatus())
  b.dashboard.mockResolvedValue(dashboard())
  b.ncs.mockResolvedValue([ncRow({ id: 'NC-1-2019' })])
})

async function openCard(lang: 'en' | 'fr' | 'es' | 'pt' = 'en') {
  const screen = await mountScreen(NcListView, { path: '/ncs', lang })
  await screen.wrapper.get('[data-testid=export-feed]').trigger('click')
  await flushPromises()
  return screen
}

describe('Calendar subscription card', () => {
  it('creates the address, shows it with a copy button, and copies it', async () => {
    b.calendarSubscription.mockResolvedValue(sub({ active: false, url: '', created_at: '', lang: '' }))
    b.calendarSubscribe.mockResolvedValue(sub())
    b.copyText.mockResolvedValue(true)
    const { wrapper } = await openCard()
    expect(b.calendarSubscription).toHaveBeenCalledTimes(1)
    expect(wrapper.get('[data-testid=calendar-feed-none]').text()).toBe('You have no calendar address yet.')
    await wrapper.get('[data-testid=calendar-feed-create]').trigger('click')
    await flushPromises()
    expect(b.calendarSubscribe).toHaveBeenCalledTimes(1)
    expect((wrapper.get('[data-testid=calendar-feed-url] input').element as HTMLInputElement).value).toBe(URL)
    expect(wrapper.get('[data-testid=calendar-feed-since]').text()).toBe('Created on 10/06/2019.')
    await wrapper.get('[data-testid=calendar-feed-copy]').trigger('click')
    await flushPromises()
    expect(b.copyText).toHaveBeenCalledWith(URL)
    expect(wrapper.get('[data-testid=calendar-feed-copied]').text()).toContain('Copied.')
  })

  it('revokes only once confirmed', async () => {
    b.calendarSubscription.mockResolvedValue(sub())
    b.calendarRevoke.mockResolvedValue(undefined)
    const { wrapper } = await openCard()
    await wrapper.get('[data-testid=calendar-feed-revoke]').trigger('click')
    expect(wrapper.get('[data-testid=calendar-feed-confirm]').text()).toContain('Revoke your calendar address?')
    await wrapper.get('[data-testid=calendar-feed-confirm-no]').trigger('click')
    expect(b.calendarRevoke).not.toHaveBeenCalled()
    expect(wrapper.find('[data-testid=calendar-feed-confirm]').exists()).toBe(false)
    await wrapper.get('[data-testid=calendar-feed-revoke]').trigger('click')
    await wrapper.get('[data-testid=calendar-feed-confirm-yes]').trigger('click')
    await flushPromises()
    expect(b.calendarRevoke).toHaveBeenCalledTimes(1)
    expect(wrapper.find('[data-testid=calendar-feed-url]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=calendar-feed-none]').exists()).toBe(true)
  })

  it('makes a new address once confirmed, and says when the address lives on another computer', async () => {
    b.calendarSubscription.mockResolvedValue(sub({ url: '' }))
    b.calendarSubscribe.mockResolvedValue(sub({ url: URL.replace('AbCd', 'ZyXw') }))
    const { wrapper } = await openCard('fr')
    expect(wrapper.get('[data-testid=calendar-feed-elsewhere]').text()).toContain('créée sur un autre ordinateur le 10/06/2019')
    await wrapper.get('[data-testid=calendar-feed-rotate]').trigger('click')
    expect(b.calendarSubscribe).not.toHaveBeenCalled()
    expect(wrapper.get('[data-testid=calendar-feed-confirm]').text()).toContain("L'actuelle cesse aussitôt de fonctionner")
    await wrapper.get('[data-testid=calendar-feed-confirm-yes]').trigger('click')
    await flushPromises()
    expect(b.calendarSubscribe).toHaveBeenCalledTimes(1)
    expect((wrapper.get('[data-testid=calendar-feed-url] input').element as HTMLInputElement).value).toContain('ZyXw')
  })

  it('says offline in the user’s language, and tries again', async () => {
    b.calendarSubscription.mockRejectedValueOnce('needs_connection').mockResolvedValueOnce(sub())
    const { wrapper } = await openCard('es')
    expect(wrapper.get('[data-testid=calendar-feed-error]').text()).not.toContain('needs_connection')
    expect(wrapper.get('[data-testid=calendar-feed-error]').text()).toContain('Reintentar')
    await wrapper.get('[data-testid=calendar-feed-retry]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=calendar-feed-error]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=calendar-feed-since]').text()).toBe('Creada el 10/06/2019.')
  })
})
