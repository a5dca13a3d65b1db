// Package proxy chooses the HTTP proxy of the desktop's requests to the Ecert server:
// the one set in the app's settings, else the environment's (HTTPS_PROXY, HTTP_PROXY,
// NO_PROXY), else the system's (the Windows Internet settings: a proxy auto-config
// script, named or found on the network by WPAD, before the static proxy).
package proxy
