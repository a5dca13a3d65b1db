// A table of thousands of rows (the NC list) that keeps only the rows in view in the DOM.
//
// Naive UI's virtual data table mounts nine components per row (one per cell, and the
// row), measures every row that scrolls into view and renders all the visible rows again
// at each step: scrolling 5,000 NCs took most of each frame's budget in rendering alone.
// Here every row has the same height, so what is in view follows from the scroll offset
// alone; a row is one small component of plain elements, rendered when it comes into view
// and left alone while it stays there; and scrolling within a row renders nothing.
import {
  computed,
  defineComponent,
  h,
  onBeforeUnmount,
  onMounted,
  ref,
  watch,
  type PropType,
  type VNodeChild,
} from 'vue'
import { NSpin } from 'naive-ui'
import './virtualTable.css'

/** A column: a fixed width, or a minimum width that takes a share of the room left. */
export interface VtColumn<T> {
  key: string
  title: string
  width?: number
  minWidth?: number
  /** The share of the room left that a minWidth column takes (default 1). */
  grow?: number
  align?: 'left' | 'center' | 'right'
  render: (row: T, index: number) => VNodeChild
}

/** Rows drawn above and below those in view, so that a fast scroll shows no blank. */
const OVERSCAN = 6
/** Rows assumed in view before the table was laid out (and in tests, which have no layout). */
const UNMEASURED_ROWS = 20

/** gridColumns is the CSS grid template shared by the header and every row. */
export function gridColumns(columns: VtColumn<unknown>[]): string {
  return columns
    .map((c) => (c.width ? `${c.width}px` : `minmax(${c.minWidth ?? 80}px, ${c.grow ?? 1}fr)`))
    .join(' ')
}

/**
 * visibleRange gives the rows [first, last) to draw for a scroll offset and a viewport
 * height (both in pixels), with OVERSCAN rows on each side.
 */
export function visibleRange(count: number, rowHeight: number, scrollTop: number, viewport: number) {
  const inView = viewport > 0 ? Math.ceil(viewport / rowHeight) : UNMEASURED_ROWS
  const top = Math.floor(Math.max(0, scrollTop) / rowHeight)
  const first = Math.max(0, Math.min(top, count) - OVERSCAN)
  const last = Math.min(count, top + inView + OVERSCAN)
  return { first, last }
}

// Rows are the caller's own type; the columns, key and props functions it passes take it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRow = any
type RowProps = (row: AnyRow, index: number) => Record<string, unknown>

// One row. Its props stay the same while it stays in view, so Vue skips it when the
// table renders again for the rows coming into view.
const Row = defineComponent({
  name: 'VirtualTableRow',
  props: {
    row: { type: null as unknown as PropType<AnyRow>, required: true },
    index: { type: Number, required: true },
    columns: { type: Array as PropType<VtColumn<AnyRow>[]>, required: true },
    rowProps: { type: Function as PropType<RowProps>, default: undefined },
    height: { type: Number, required: true },
  },
  setup(props) {
    return () => {
      const extra = props.rowProps?.(props.row, props.index) ?? {}
      return h(
        'div',
        {
          ...extra,
          role: 'row',
          'aria-rowindex': props.index + 2, // the header is row 1
          class: ['vt-row', props.index % 2 ? 'vt-row--odd' : '', extra.class],
          style: [extra.style as string, { transform: `translateY(${props.index * props.height}px)` }],
        },
        props.columns.map((c) =>
          h(
            'div',
            { key: c.key, role: 'cell', class: ['vt-cell', c.align ? `vt-cell--${c.align}` : ''], 'data-col-key': c.key },
            [c.render(props.row, props.index)],
          ),
        ),
      )
    }
  },
})

export default defineComponent({
  name: 'VirtualTable',
  props: {
    columns: { type: Array as PropType<VtColumn<AnyRow>[]>, required: true },
    rows: { type: Array as PropType<AnyRow[]>, required: true },
    rowKey: { type: Function as PropType<(row: AnyRow) => string>, required: true },
    /** Every row's height in pixels: the CSS keeps each row to it. */
    rowHeight: { type: Number, required: true },
    rowProps: { type: Function as PropType<RowProps>, default: undefined },
    /** The table's largest height (CSS); it scrolls beyond. */
    maxHeight: { type: String, default: '' },
    /** Below this width in pixels, the table scrolls sideways. */
    minWidth: { type: Number, default: 0 },
    /** Loading with no row yet: a spinner instead of the empty text. */
    loading: { type: Boolean, default: false },
  },
  setup(props, { slots, expose }) {
    const box = ref<HTMLElement | null>(null)
    const scrollTop = ref(0)
    const viewport = ref(0)

    // Depends on the scroll offset through the row it falls on only: scrolling within a
    // row changes nothing, and nothing renders.
    const range = computed((prev?: { first: number; last: number }) => {
      const r = visibleRange(props.rows.length, props.rowHeight, scrollTop.value, viewport.value)
      return prev && prev.first === r.first && prev.last === r.last ? prev : r
    })
    const first = computed(() => range.value.first)
    const last = computed(() => range.value.last)
    const template = computed(() => gridColumns(props.columns as VtColumn<unknown>[]))

    function onScroll() {
      if (box.value) scrollTop.value = box.value.scrollTop
    }

    let observer: ResizeObserver | null = null
    onMounted(() => {
      const el = box.value
      if (!el) return
      viewport.value = el.clientHeight
      if (typeof ResizeObserver !== 'undefined') {
        observer = new ResizeObserver(() => (viewport.value = el.clientHeight))
        observer.observe(el)
      }
    })
    onBeforeUnmount(() => observer?.disconnect())

    // Fewer rows than the offset shows (a filter, a search): the browser clamps the
    // offset; this keeps what is drawn in step with it.
    watch(
      () => props.rows.length,
      () => onScroll(),
      { flush: 'post' },
    )

    /** scrollToTop shows the first rows (after a filter or a search changed them). */
    function scrollToTop() {
      if (box.value) box.value.scrollTop = 0
      scrollTop.value = 0
    }
    expose({ scrollToTop })

    return () => {
      const { rows, columns, rowHeight } = props
      const style = { '--vt-columns': template.value, '--vt-row-height': `${rowHeight}px` }
      const head = h(
        'div',
        { class: 'vt-head', role: 'rowgroup' },
        h(
          'div',
          { class: 'vt-row vt-head-row', role: 'row', 'aria-rowindex': 1 },
          columns.map((c) =>
            h('div', { key: c.key, role: 'columnheader', class: ['vt-th', c.align ? `vt-cell--${c.align}` : ''] }, c.title),
          ),
        ),
      )
      let body: VNodeChild
      if (rows.length === 0) {
        body = h('div', { class: 'vt-empty' }, props.loading ? h(NSpin, { size: 'small' }) : slots.empty?.())
      } else {
        const drawn = []
        for (let i = first.value; i < last.value; i++) {
          const row = rows[i]
          drawn.push(h(Row, { key: props.rowKey(row), row, index: i, columns, rowProps: props.rowProps, height: rowHeight }))
        }
        body = h('div', { class: 'vt-body', role: 'rowgroup', style: { height: `${rows.length * rowHeight}px` } }, drawn)
      }
      return h(
        'div',
        {
          ref: box,
          class: 'vt',
          role: 'table',
          'aria-rowcount': rows.length + 1,
          style: { ...style, maxHeight: props.maxHeight || undefined },
          onScroll,
        },
        h('div', { class: 'vt-inner', style: { minWidth: props.minWidth ? `${props.minWidth}px` : undefined } }, [head, body]),
      )
    }
  },
})
