// The one way a component tells the user that an action failed: a toast with the
// error's code in plain words, in the UI's language (never the raw text of a failure).
import { useMessage } from 'naive-ui'
import { useI18n } from 'vue-i18n'
import { errorCode } from '../errors'
import { errorText } from '../i18n'

/**
 * useErrorToast returns the function that shows a failed call's error as a toast. Call it
 * in a component's setup (it needs Naive UI's message provider and the i18n instance);
 * the function it returns can be called at any time after.
 */
export function useErrorToast(): (err: unknown) => void {
  const { t, te } = useI18n()
  const message = useMessage()
  return (err: unknown) => {
    message.error(errorText(t, te, errorCode(err)))
  }
}
