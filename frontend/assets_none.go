//go:build !(desktop || production || dev)

package frontend

import (
	"embed"
	"io/fs"
)

// Assets is empty in builds without a window (headless commands, tests, the bindings
// generator), so that they need no built UI.
func Assets() (fs.FS, error) { return embed.FS{}, nil }
