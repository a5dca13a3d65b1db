import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as backend from '../backend'
import type { LoginDefaults, SessionState } from '../types'

const empty: SessionState = {
  logged_in: false,
  server: '',
  username: '',
  name: '',
  org_id: '',
  org_name: '',
  has_data: false,
  token_store: '',
  ended: '',
  org_role: 'manager',
}

/** Who is logged in. The backend owns the tokens; the UI only sees this state. */
export const useSessionStore = defineStore('session', () => {
  const state = ref<SessionState>({ ...empty })
  const defaults = ref<LoginDefaults>({ server: '', username: '', password: '' })
  const ready = ref(false) // State() answered (or failed): the first screen can be chosen
  const busy = ref(false)
  const error = ref('') // error code of the last login attempt
  const expired = ref(false) // the login screen is shown because the server ended the session
  const endedReason = ref('') // why: session_expired, or password_changed (on another computer)
  const changing = ref(false) // a password change is under way

  const loggedIn = computed(() => state.value.logged_in)
  /** Staff draft, attach and mark ready; only the manager sends and manages accounts. */
  const isManager = computed(() => (state.value.org_role || 'manager') === 'manager')

  /**
   * init reads who is logged in. loggedInNow, when given, is called as soon as the state
   * says logged in, before Vue draws what the state changed: the window's first calls
   * for the dashboard then go out while the shell is drawn, not after.
   */
  async function init(loggedInNow?: () => void) {
    try {
      const [s, d] = await Promise.all([backend.sessionState(), backend.loginDefaults()])
      state.value = { ...empty, ...s }
      defaults.value = { ...defaults.value, ...d }
      if (s.ended) sessionExpired(s.ended)
      if (state.value.logged_in) loggedInNow?.()
    } catch (e) {
      error.value = backend.errorCode(e)
    } finally {
      ready.value = true
    }
  }

  async function login(server: string, username: string, password: string): Promise<boolean> {
    busy.value = true
    error.value = ''
    try {
      state.value = { ...empty, ...(await backend.login(server.trim(), username.trim(), password)) }
      expired.value = false
      endedReason.value = ''
      return state.value.logged_in
    } catch (e) {
      error.value = backend.errorCode(e)
      return false
    } finally {
      busy.value = false
    }
  }

  async function logout() {
    try {
      await backend.logout()
    } catch (e) {
      error.value = backend.errorCode(e)
    }
    state.value = { ...state.value, logged_in: false }
    expired.value = false
  }

  /**
   * sessionExpired shows the login screen with the user name kept and why the server
   * ended the session; no local data is lost.
   */
  function sessionExpired(reason?: string) {
    state.value = { ...state.value, logged_in: false }
    expired.value = true
    endedReason.value = reason || 'session_expired'
    error.value = endedReason.value
  }

  /** changePassword changes it on the server; it returns '' or the error code. */
  async function changePassword(current: string, next: string): Promise<string> {
    changing.value = true
    try {
      await backend.changePassword(current, next)
      return ''
    } catch (e) {
      return backend.errorCode(e)
    } finally {
      changing.value = false
    }
  }

  return {
    state,
    defaults,
    ready,
    busy,
    error,
    expired,
    endedReason,
    changing,
    loggedIn,
    isManager,
    init,
    login,
    logout,
    sessionExpired,
    changePassword,
  }
})
