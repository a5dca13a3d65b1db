// Package team is the app's Team service: the organisation's accounts, managed by its
// manager with the server (online only), and the responsible person and internal due
// date of each NC, set offline and synced.
package team
