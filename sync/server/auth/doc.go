// Package auth logs users in and checks their tokens: argon2id passwords, access and
// refresh tokens in families, and the failed-login limit shared by the API and the
// analyst console.
package auth
