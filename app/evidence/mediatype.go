package evidence

import (
	"net/http"
	"path/filepath"
	"strings"
)

// mediaTypes maps the extensions of usual evidence files to their media type. It is our
// own table rather than package mime's, whose answers depend on the machine's registry
// or /etc/mime.types, so that the same file gets the same type on every desktop.
var mediaTypes = map[string]string{
	".pdf":  "application/pdf",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".png":  "image/png",
	".gif":  "image/gif",
	".webp": "image/webp",
	".heic": "image/heic",
	".tif":  "image/tiff",
	".tiff": "image/tiff",
	".bmp":  "image/bmp",
	".txt":  "text/plain; charset=utf-8",
	".csv":  "text/csv",
	".rtf":  "application/rtf",
	".doc":  "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".ppt":  "application/vnd.ms-powerpoint",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".odp":  "application/vnd.oasis.opendocument.presentation",
	".msg":  "application/vnd.ms-outlook",
	".eml":  "message/rfc822",
	".zip":  "application/zip",
	".mp4":  "video/mp4",
	".mov":  "video/quicktime",
	".mp3":  "audio/mpeg",
	".m4a":  "audio/mp4",
}

// MediaType returns the media type of a file from its name's extension, or, for an
// unknown extension, sniffed from head (the first bytes of the file, up to 512 are used)
// by net/http.DetectContentType, which answers "application/octet-stream" when unsure.
func MediaType(name string, head []byte) string {
	if t, ok := mediaTypes[strings.ToLower(filepath.Ext(SafeName(name)))]; ok {
		return t
	}
	return http.DetectContentType(head)
}
