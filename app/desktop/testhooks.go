//go:build !dev

package desktop

// testStandIn: builds other than dev have no test switches.
func testStandIn() *standIn { return nil }
