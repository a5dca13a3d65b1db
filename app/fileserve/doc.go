// Package fileserve serves the window the files it shows by their hash — cached
// documents, certificates and evidence at /files/<sha256>, thumbnails of images at
// /thumbs/<sha256> — through the Wails asset server's middleware.
package fileserve
