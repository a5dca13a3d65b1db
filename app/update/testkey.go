//go:build ecert_testkey

package update

// A test build (-tags ecert_testkey) may trust the TEST-ONLY key of releasetest: the
// browser tests and the update command's tests publish releases signed with it. Release
// builds (build/scripts/package.sh) never set this tag.
func init() { testKeyAllowed = true }
