// Package salvage moves a replica that failed its integrity check aside, never deleting
// it, and reads out of it, table by table, what the user wrote and had not sent.
package salvage
