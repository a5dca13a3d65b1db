// Columns of the NC list, in the portal's order (manual, "Résultats d'audit"). The list
// is virtual (VirtualTable): its cells are plain elements (see cells.ts), built for every
// row that scrolls into view.
import { h } from 'vue'
import type { NCRow } from '../../types'
import { formatDate } from '../../format'
import { Words, daysLeftCell, statusCell } from './cells'
import type { VtColumn } from './VirtualTable'

type Translate = (key: string, ...args: unknown[]) => string
type Exists = (key: string) => boolean

/**
 * ncColumns gives the list's columns. compact (a narrow window) puts the evidence status
 * under the CA status, gives the day received as the due cell's tooltip, and lets the
 * text columns share the room, so nothing scrolls sideways or is cut.
 */
export function ncColumns(t: Translate, te: Exists, compact = false): VtColumn<NCRow>[] {
  const w = new Words(t, te)
  const cols: VtColumn<NCRow>[] = [
    {
      key: 'ready',
      title: t('nc.col.ready'),
      // Room for "envoyer", the header's longest word, on one line.
      width: 80,
      align: 'center',
      // The portal's ✓: marked "ready to send"; a clock once Send queued it.
      render: (r) =>
        r.queued
          ? h('span', { class: 'queued-mark', title: w.text('nc.queuedHint'), 'data-testid': 'nc-queued-mark' }, [
              '🕓 ',
              h('span', { class: 'mark-word' }, w.text('nc.queuedMark')),
            ])
          : r.ready
            ? h(
                'span',
                { class: 'ready-mark', title: w.text('nc.readyMark'), 'aria-label': w.text('nc.readyMark'), 'data-testid': 'nc-ready-mark' },
                '✓',
              )
            : r.notice
              ? h('span', { class: 'notice-mark', title: w.text('nc.noticeMark'), 'data-testid': 'nc-notice-mark' }, '⚠')
              : '',
    },
    {
      key: 'audit',
      title: t('nc.col.audit'),
      minWidth: compact ? 100 : 190,
      grow: 0.9,
      render: (r) =>
        h('div', { class: 'cell-2' }, [
          h('strong', r.nc.audit_id),
          h('span', { class: 'sub', title: r.service_type }, `${formatDate(r.audit_date)} ${r.service_type}`),
        ]),
    },
    {
      key: 'criterion',
      title: t('nc.col.criterion'),
      minWidth: compact ? 120 : 220,
      render: (r) =>
        h('div', { class: 'cell-2' }, [
          h('strong', r.nc.criterion_number),
          h('span', { class: 'sub', title: r.nc.criterion_text }, r.nc.criterion_text),
        ]),
    },
    {
      key: 'finding',
      title: t('nc.col.finding'),
      // Room for the longest number and both badges on one line.
      minWidth: compact ? 140 : 260,
      // The NC's number and its badges whole: the widest share.
      grow: 1.5,
      render: (r) =>
        h('div', { class: 'cell-2' }, [
          h('strong', { title: r.nc.id }, [
            r.nc.id,
            r.unread > 0 ? h('span', { class: 'unread', title: w.text('nc.unread', r.unread) }, `✉ ${r.unread}`) : null,
            r.updates > 0
              ? h('span', { class: 'updates', title: w.text('nc.updates', r.updates), 'data-testid': 'nc-updates' }, `● ${r.updates}`)
              : null,
          ]),
          h('span', { class: 'sub', title: r.nc.finding }, r.nc.finding),
        ]),
    },
    {
      key: 'received',
      title: t('nc.col.received'),
      width: 100,
      render: (r) => formatDate(r.nc.received_date),
    },
    {
      key: 'due',
      title: t('nc.col.due'),
      // "2744 jours de retard" whole, in every language.
      width: 170,
      render: (r) => daysLeftCell(w, r.due, r.days_left),
    },
    {
      key: 'ca_status',
      title: t('nc.col.caStatus'),
      width: 120,
      render: (r) => statusCell(w, 'nc.status', r.nc.ca_status),
    },
    {
      key: 'evidence_status',
      title: t('nc.col.evidenceStatus'),
      width: 130,
      render: (r) => statusCell(w, 'nc.status', r.nc.evidence_status),
    },
  ]
  if (!compact) return cols
  // Narrow: the CA status with the evidence status under it; the day received in a tooltip.
  const byKey = new Map(cols.map((c) => [c.key, c]))
  return [
    byKey.get('ready')!,
    byKey.get('audit')!,
    byKey.get('criterion')!,
    byKey.get('finding')!,
    {
      key: 'due',
      title: t('nc.col.due'),
      width: 156,
      // Two lines fit a row: the due day and the days left; the day received is in the
      // tooltip (and on the NC's screen).
      render: (r) =>
        h('div', { class: 'cell-due', title: `${w.text('nc.col.received')} ${formatDate(r.nc.received_date)}` }, [
          daysLeftCell(w, r.nc.due_date, r.days_left),
        ]),
    },
    {
      key: 'ca_status',
      title: `${t('nc.col.caStatus')} / ${t('nc.col.evidenceStatus')}`,
      width: 118,
      render: (r) =>
        h('div', { class: 'cell-status' }, [
          statusCell(w, 'nc.status', r.nc.ca_status),
          statusCell(w, 'nc.status', r.nc.evidence_status),
        ]),
    },
  ]
}
