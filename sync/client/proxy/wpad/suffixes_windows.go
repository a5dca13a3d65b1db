//go:build windows

package wpad

import (
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// SystemSuffixes returns the host's DNS suffixes, most specific first: the suffix of each
// connection that is up (what DHCP gave the office network), then the computer's primary
// DNS suffix, then the configured search list.
func SystemSuffixes() []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	for _, s := range adapterSuffixes() {
		add(s)
	}
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\Tcpip\Parameters`, registry.QUERY_VALUE)
	if err == nil {
		defer k.Close()
		for _, name := range []string{"Domain", "NV Domain"} {
			if v, _, err := k.GetStringValue(name); err == nil {
				add(v)
			}
		}
		if v, _, err := k.GetStringValue("SearchList"); err == nil {
			for _, s := range strings.Split(v, ",") {
				add(s)
			}
		}
	}
	return out
}

// adapterSuffixes reads the connection-specific DNS suffixes of the adapters that are up.
func adapterSuffixes() []string {
	size := uint32(15 << 10)
	for range 3 {
		buf := make([]byte, size)
		first := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0]))
		err := windows.GetAdaptersAddresses(windows.AF_UNSPEC, windows.GAA_FLAG_SKIP_ANYCAST|windows.GAA_FLAG_SKIP_MULTICAST|windows.GAA_FLAG_SKIP_DNS_SERVER, 0, first, &size)
		if err == windows.ERROR_BUFFER_OVERFLOW {
			continue // size now holds what is needed
		}
		if err != nil {
			return nil
		}
		var out []string
		for a := first; a != nil; a = a.Next {
			if a.OperStatus == windows.IfOperStatusUp && a.DnsSuffix != nil {
				out = append(out, windows.UTF16PtrToString(a.DnsSuffix))
			}
		}
		return out
	}
	return nil
}
