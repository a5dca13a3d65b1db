// Compile-time checks of types.ts, run by the type check (`npm run build`, `npm run
// typecheck`); nothing imports this file. Each line fails the build when it stops holding.
import type { api } from '../wailsjs/go/models'
import type * as T from './types'

type Assert<T extends true> = T

/** The fields of T typed any (the generator's type for a Go time): none may be left. */
type AnyFields<T> = { [K in keyof T]-?: 0 extends 1 & T[K] ? K : never }[keyof T]
type NoAny<T> = [AnyFields<T>] extends [never] ? true : false

export type NothingIsAny = [
  Assert<NoAny<T.CA>>,
  Assert<NoAny<T.CAVersion>>,
  Assert<NoAny<T.CADraft>>,
  Assert<NoAny<T.EvidenceVersion>>,
  Assert<NoAny<T.Evidence>>,
  Assert<NoAny<T.Message>>,
  Assert<NoAny<T.NC>>,
  Assert<NoAny<T.NCRow>>,
  Assert<NoAny<T.NCDetail>>,
  Assert<NoAny<T.Dashboard>>,
  Assert<NoAny<T.EvidenceRow>>,
  Assert<NoAny<T.SessionState>>,
]

/** A model's data has no helper method of the generated class. */
export type NoMethods = Assert<'convertValues' extends keyof T.NC ? false : true>

// A refinement may name only a field the Go struct has: one that was renamed or removed
// in Go is an error, not a silently added field.
// @ts-expect-error: api.Audit has no field "auditor_name"
export type RenamedField = T.Model<api.Audit, { auditor_name: string }>
export type KnownField = T.Model<api.Audit, { date: T.ApiDate }>
