import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { h, nextTick } from 'vue'
import VirtualTable, { gridColumns, visibleRange, type VtColumn } from '../components/nc-table/VirtualTable'

interface Item {
  id: string
  n: number
}

const items = (count: number): Item[] => Array.from({ length: count }, (_, n) => ({ id: `item-${n}`, n }))
const columns: VtColumn<Item>[] = [
  { key: 'id', title: 'Id', width: 100, render: (r) => r.id },
  { key: 'n', title: 'Number', minWidth: 200, align: 'right', render: (r) => h('strong', String(r.n)) },
]
const H = 40

function table(rows: Item[], extra: Record<string, unknown> = {}) {
  return mount(VirtualTable, {
    props: {
      columns,
      rows,
      rowKey: (r: Item) => r.id,
      rowHeight: H,
      rowProps: (r: Item) => ({ 'data-testid': 'row', 'data-id': r.id }),
      ...extra,
    },
    slots: { empty: () => h('span', { 'data-testid': 'empty' }, 'Nothing') },
    attachTo: document.body,
  })
}

const shown = (w: ReturnType<typeof table>) => w.findAll('[data-testid=row]').map((r) => r.attributes('data-id'))

describe('VirtualTable', () => {
  describe('visibleRange', () => {
    const cases: [string, number, number, number, { first: number; last: number }][] = [
      // what, rows, scrollTop, viewport height → rows drawn
      ['top', 1000, 0, 400, { first: 0, last: 16 }],
      ['within the first row: the same rows', 1000, 39, 400, { first: 0, last: 16 }],
      ['one row down', 1000, 40, 400, { first: 0, last: 17 }],
      ['middle', 1000, 20_000, 400, { first: 494, last: 516 }],
      ['bottom', 1000, 39_600, 400, { first: 984, last: 1000 }],
      ['offset beyond the end (rows went away)', 10, 20_000, 400, { first: 4, last: 10 }],
      ['fewer rows than the viewport', 3, 0, 400, { first: 0, last: 3 }],
      ['no layout yet: 20 rows', 1000, 0, 0, { first: 0, last: 26 }],
      ['no rows', 0, 0, 400, { first: 0, last: 0 }],
    ]
    for (const [what, count, top, viewport, want] of cases) {
      it(what, () => expect(visibleRange(count, H, top, viewport)).toEqual(want))
    }
  })

  it('shares one grid of columns between the header and the rows', () => {
    expect(gridColumns(columns as VtColumn<unknown>[])).toBe('100px minmax(200px, 1fr)')
    const w = table(items(3))
    expect(w.attributes('style')).toContain('--vt-columns: 100px minmax(200px, 1fr)')
    expect(w.findAll('[role=columnheader]').map((c) => c.text())).toEqual(['Id', 'Number'])
    expect(w.get('[data-id=item-1] [data-col-key=n]').html()).toContain('<strong>1</strong>')
    expect(w.get('[data-id=item-1] [data-col-key=n]').classes()).toContain('vt-cell--right')
    expect(w.get('[data-id=item-1]').attributes('aria-rowindex')).toBe('3')
    w.unmount()
  })

  it('keeps the DOM to the rows in view, and follows the scroll', async () => {
    const w = table(items(5000))
    expect(w.attributes('aria-rowcount')).toBe('5001')
    expect(w.get('.vt-body').attributes('style')).toContain(`height: ${5000 * H}px`)
    expect(shown(w)).toEqual(items(26).map((r) => r.id))

    const box = w.element as HTMLElement
    box.scrollTop = 2000 * H
    await w.trigger('scroll')
    const ids = shown(w)
    expect(ids.length).toBeLessThan(40)
    expect(ids[0]).toBe('item-1994')
    expect(ids).toContain('item-2000')
    expect(w.get('[data-id=item-2000]').attributes('style')).toContain(`translateY(${2000 * H}px)`)
    w.unmount()
  })

  it('scrolls back to the top when asked', async () => {
    const w = table(items(5000))
    const box = w.element as HTMLElement
    box.scrollTop = 100 * H
    await w.trigger('scroll')
    expect(shown(w)[0]).toBe('item-94')
    ;(w.vm as unknown as { scrollToTop: () => void }).scrollToTop()
    await nextTick()
    expect(shown(w)[0]).toBe('item-0')
    w.unmount()
  })

  it('draws a row again only when it comes into view, or its row changes', async () => {
    let renders = 0
    const counted: VtColumn<Item>[] = [{ key: 'id', title: 'Id', render: (r) => (renders++, r.id) }]
    const rows = items(1000)
    const w = table(rows, { columns: counted })
    expect(renders).toBe(26)
    const box = w.element as HTMLElement
    box.scrollTop = 10 // within the first row: nothing to draw
    await w.trigger('scroll')
    expect(renders).toBe(26)
    box.scrollTop = 2 * H // two rows down: two rows come into view
    await w.trigger('scroll')
    expect(renders).toBe(28)
    await w.setProps({ rows: rows.map((r) => (r.n === 1 ? { ...r } : r)) }) // one row replaced
    expect(renders).toBe(29)
    w.unmount()
  })

  it('shows the empty slot without rows, and a spinner while loading them', async () => {
    const w = table([])
    expect(w.get('[data-testid=empty]').text()).toBe('Nothing')
    await w.setProps({ loading: true })
    expect(w.find('[data-testid=empty]').exists()).toBe(false)
    expect(w.find('.n-spin-body, .n-spin').exists()).toBe(true)
    await w.setProps({ rows: items(2) })
    await flushPromises()
    expect(shown(w)).toEqual(['item-0', 'item-1'])
    w.unmount()
  })
})
