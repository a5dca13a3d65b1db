// Package update keeps ecert-desktop up to date: it reads the signed release manifest
// ecert-server publishes, downloads the file of this platform (resumably) into the data
// folder, checks its hash and the manifest's signature with the key built into the app,
// and on Windows replaces the binary on the user's word, keeping the old one to roll
// back to. Elsewhere (Linux packages) it only tells the user.
package update
