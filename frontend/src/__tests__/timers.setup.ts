// Naive UI closes a toast with a plain setTimeout (3 s by default). A test file that ends
// sooner leaves the timer behind, and it fires after the file's DOM is gone ("window is
// not defined"), which Vitest reports as an error of the whole run. Timers still pending
// when a file ends can no longer matter to its tests: clear them.
import { afterAll } from 'vitest'

const pending = new Set<ReturnType<typeof setTimeout>>()
const realSetTimeout = globalThis.setTimeout
const realClearTimeout = globalThis.clearTimeout

globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const handle = realSetTimeout(
    (...a: unknown[]) => {
      pending.delete(handle)
      fn(...a)
    },
    ms,
    ...args,
  )
  pending.add(handle)
  return handle
}) as typeof setTimeout

globalThis.clearTimeout = ((handle?: ReturnType<typeof setTimeout>) => {
  if (handle !== undefined) pending.delete(handle)
  realClearTimeout(handle)
}) as typeof clearTimeout

afterAll(() => {
  for (const handle of pending) realClearTimeout(handle)
  pending.clear()
})
