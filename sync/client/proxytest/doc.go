// Package proxytest runs a real HTTP forward proxy (elazarl/goproxy) on loopback for
// tests of the client behind an office proxy: plain requests and CONNECT tunnels, with
// or without Basic authentication, counting what passes through.
package proxytest
