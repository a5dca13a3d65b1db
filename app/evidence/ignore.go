package evidence

import "strings"

// tempSuffixes end the names of files that programs write before giving them their
// real name: browsers' partial downloads, office programs' and editors' temporary
// files. Compared in lower case.
var tempSuffixes = []string{
	".tmp", ".temp", // Word (~WRL0001.tmp), many installers and savers
	".part", ".partial", // Firefox, wget, curl
	".crdownload", // Chrome, Edge
	".download",   // Safari
	".crswap",     // Chrome's file system access API
	".swp",        // vim
}

// ignoredNames are files the system itself puts in folders.
var ignoredNames = map[string]bool{
	"thumbs.db":   true, // Windows Explorer
	"ehthumbs.db": true,
	"desktop.ini": true,
	".ds_store":   true, // macOS Finder (also caught as a dot-file)
}

// ignored reports whether a file name in the inbox is a temporary or system file, never
// evidence: hidden dot-files (.DS_Store, LibreOffice's .~lock.x#, ._ AppleDouble files),
// Office's owner files ~$x.docx, backups ending in ~, and the names above.
func ignored(name string) bool {
	if name == "" || name[0] == '.' || strings.HasPrefix(name, "~$") || strings.HasSuffix(name, "~") {
		return true
	}
	lower := strings.ToLower(name)
	if ignoredNames[lower] {
		return true
	}
	for _, s := range tempSuffixes {
		if strings.HasSuffix(lower, s) {
			return true
		}
	}
	return false
}
