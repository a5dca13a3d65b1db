// Package version says which build of ecert-desktop this is: the release version,
// commit and date stamped at link time, and the web view the window is drawn with.
package version
