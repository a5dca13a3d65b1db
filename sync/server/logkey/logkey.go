package logkey

const (
	Error    = "error"
	Method   = "method"
	Path     = "path"
	Status   = "status"
	Duration = "duration"
	Bytes    = "bytes"
	User     = "user"
	Count    = "count"
	Upload   = "upload"
)
