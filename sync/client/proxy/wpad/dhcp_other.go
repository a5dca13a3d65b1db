//go:build !windows

package wpad

import "context"

// dhcpScriptURL: no standard source outside Windows (the DHCP client keeps option 252,
// if it asked for it at all, in its own lease files).
func dhcpScriptURL(context.Context) string { return "" }
