//go:build desktop || production || dev

package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Assets returns the built UI (frontend/dist, made by `npm run build`).
func Assets() (fs.FS, error) { return fs.Sub(dist, "dist") }
