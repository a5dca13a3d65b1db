import { createRouter, createWebHashHistory, createMemoryHistory, type RouteRecordRaw } from 'vue-router'

/** The portal's menu, in the manual's order: route name = menu key. */
export const MENU = [
  { key: 'portal', label: 'menu.portal' },
  { key: 'master-data', label: 'menu.masterData' },
  { key: 'contacts', label: 'menu.contacts' },
  { key: 'certificate', label: 'menu.certificate' },
  { key: 'certification', label: 'menu.certification' },
  { key: 'audits', label: 'menu.audits' },
  { key: 'ncs', label: 'menu.ncs' },
  { key: 'documents', label: 'menu.documents' },
  { key: 'files', label: 'menu.files' },
  { key: 'checklist', label: 'menu.checklist' },
  { key: 'partners', label: 'menu.partners' },
  { key: 'team', label: 'menu.team' },
  { key: 'account', label: 'menu.account' },
] as const

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/portal' },
  { path: '/portal', name: 'portal', component: () => import('./views/DashboardView.vue') },
  { path: '/master-data', name: 'master-data', component: () => import('./views/MasterDataView.vue') },
  { path: '/contacts', name: 'contacts', component: () => import('./views/ContactsView.vue') },
  { path: '/certificate', name: 'certificate', component: () => import('./views/CertificateView.vue') },
  { path: '/certification', name: 'certification', component: () => import('./views/CertificationView.vue') },
  { path: '/audits', name: 'audits', component: () => import('./views/AuditsView.vue') },
  // Where an audit stands in its cycle; id "latest" is the latest audit.
  { path: '/audits/:id/cycle', name: 'cycle', component: () => import('./views/AuditCycle.vue'), props: true },
  { path: '/ncs', name: 'ncs', component: () => import('./views/NcListView.vue') },
  { path: '/ncs/:id', name: 'nc', component: () => import('./views/NcDetailView.vue'), props: true },
  { path: '/documents', name: 'documents', component: () => import('./views/DocumentsView.vue') },
  // The organisation's files; ?nc=NC-… links the chosen one to that NC.
  { path: '/files', name: 'files', component: () => import('./views/FilesView.vue') },
  { path: '/checklist', name: 'checklist', component: () => import('./views/ChecklistView.vue') },
  { path: '/account', name: 'account', component: () => import('./views/AccountView.vue') },
  { path: '/partners', name: 'partners', component: () => import('./views/PartnersView.vue') },
  // FairMonitor: the supply chains, under the partners' menu.
  { path: '/partners/chains', name: 'chains', component: () => import('./views/ChainsView.vue') },
  { path: '/team', name: 'team', component: () => import('./views/TeamView.vue') },
  { path: '/:rest(.*)*', redirect: '/portal' },
]

/** makeRouter uses hash history (works inside Wails); tests pass memory history. */
export function makeRouter(memory = false) {
  return createRouter({ history: memory ? createMemoryHistory() : createWebHashHistory(), routes })
}
