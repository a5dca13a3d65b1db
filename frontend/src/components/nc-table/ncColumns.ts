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

export function ncColumns(t: Translate, te: Exists): VtColumn<NCRow>[] {
  const w = new Words(t, te)
  return [
    {
      key: 'ready',
      title: t('nc.col.ready'),
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
      width: 210,
      render: (r) =>
        h('div', { class: 'cell-2' }, [
          h('strong', r.nc.audit_id),
          h('span', { class: 'sub', title: r.service_type }, `${formatDate(r.audit_date)} ${r.service_type}`),
        ]),
    },
    {
      key: 'criterion',
      title: t('nc.col.criterion'),
      minWidth: 220,
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
      minWidth: 260,
      render: (r) =>
        h('div', { class: 'cell-2' }, [
          h('strong', [
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
      width: 150,
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
}
