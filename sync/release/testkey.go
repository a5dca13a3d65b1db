package release

// TestOnlyPublicKey is the public half of releasetest's TEST-ONLY signing key, whose
// private half is in this repository for anyone to read. It is here, without the
// test helpers, so that the app can recognise it and refuse it outside a test build
// (app/update), and the release build can refuse to be stamped with it.
const TestOnlyPublicKey = "g7/T3zF0T1FqrTHHChWiDxBPBVNLm2/8j+TPQZsHYsU="
