//go:build windows

package wpad

import (
	"context"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	detectConfigURL = windows.NewLazySystemDLL("winhttp.dll").NewProc("WinHttpDetectAutoProxyConfigUrl")
	globalFree      = windows.NewLazySystemDLL("kernel32.dll").NewProc("GlobalFree")
)

// winhttpDetectDHCP is WINHTTP_AUTO_DETECT_TYPE_DHCP: the DHCP search only (the DNS one
// is Find's own, which says what it tried).
const winhttpDetectDHCP = 0x1

// dhcpScriptURL asks WinHTTP for the script address the network's DHCP server gives
// (option 252), within Timeout: the call blocks, and is left to finish on its own.
func dhcpScriptURL(ctx context.Context) string {
	if detectConfigURL.Find() != nil || globalFree.Find() != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	found := make(chan string, 1)
	go func() {
		var p *uint16
		ok, _, _ := detectConfigURL.Call(winhttpDetectDHCP, uintptr(unsafe.Pointer(&p)))
		u := ""
		if ok != 0 && p != nil {
			u = windows.UTF16PtrToString(p)
			globalFree.Call(uintptr(unsafe.Pointer(p)))
		}
		found <- strings.TrimSpace(u)
	}()
	select {
	case u := <-found:
		return u
	case <-ctx.Done():
		return ""
	}
}
