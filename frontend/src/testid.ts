import type { InputHTMLAttributes } from 'vue'

/**
 * tid gives the attributes that put a data-testid on an inner element (a Naive UI
 * input's <input>, a table row), for the browser tests. Vue's attribute types do not
 * list data-* attributes, hence the cast.
 */
export function tid(id: string, extra: Record<string, string> = {}): InputHTMLAttributes {
  return { 'data-testid': id, ...extra } as unknown as InputHTMLAttributes
}
