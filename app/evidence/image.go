package evidence

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/image/draw"
)

// ErrNotImage is returned by Downscale and Thumbnail for a file that is not an image
// they can decode (JPEG or PNG; GIF too for thumbnails).
var ErrNotImage = errors.New("evidence: not a supported image")

// maxPixels refuses to decode larger images (a 20 kB PNG can claim to be 100k×100k and
// would take gigabytes of memory). A package variable so that tests can shrink it.
var maxPixels = 120_000_000

const (
	downscaleQuality = 85
	thumbQuality     = 80
	// probeBytes is read from the start of an image to sniff its type and find its
	// EXIF orientation (an APP1 segment is at most 64 kB).
	probeBytes = 66 << 10
)

// probe describes a stored image before it is decoded.
type probe struct {
	mediaType   string // as sniffed
	width       int
	height      int
	orientation int // EXIF orientation, 1 when absent
}

func probeImage(f *os.File) (probe, error) {
	head := make([]byte, probeBytes)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return probe{}, err
	}
	head = head[:n]
	p := probe{mediaType: http.DetectContentType(head), orientation: 1}
	switch p.mediaType {
	case "image/jpeg":
		p.orientation = jpegOrientation(head)
	case "image/png", "image/gif":
	default:
		return p, ErrNotImage
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return p, err
	}
	cfg, _, err := image.DecodeConfig(bufio.NewReader(f))
	if err != nil {
		return p, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxPixels/cfg.Height {
		return p, fmt.Errorf("image of %d×%d pixels is too large", cfg.Width, cfg.Height)
	}
	p.width, p.height = cfg.Width, cfg.Height
	_, err = f.Seek(0, io.SeekStart)
	return p, err
}

func decodeImage(f *os.File, mediaType string) (image.Image, error) {
	r := bufio.NewReader(f)
	var img image.Image
	var err error
	switch mediaType {
	case "image/jpeg":
		img, err = jpeg.Decode(r)
	case "image/png":
		img, err = png.Decode(r)
	case "image/gif":
		img, err = gif.Decode(r)
	default:
		return nil, ErrNotImage
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	return img, nil
}

// Downscale makes a copy of a stored JPEG or PNG image whose longest side is maxSide
// pixels, stores it and returns it; the original stays in the store. A JPEG is
// re-encoded at quality 85 with its EXIF rotation applied (the copy carries no EXIF, so
// no location or camera data leaks to the portal either); a PNG stays a PNG. An image
// already small enough is returned unchanged. Other files give ErrNotImage. Name is
// empty: the caller keeps the original's display name, the type does not change.
func (s *Store) Downscale(ctx context.Context, sha string, maxSide int) (Imported, error) {
	if maxSide < 1 {
		return Imported{}, fmt.Errorf("downscale: invalid size %d", maxSide)
	}
	path, ok := s.Path(sha)
	if !ok {
		return Imported{}, fmt.Errorf("downscale %.12s: %w", sha, fs.ErrNotExist)
	}
	f, err := os.Open(path)
	if err != nil {
		return Imported{}, fmt.Errorf("downscale: %w", err)
	}
	defer f.Close()
	p, err := probeImage(f)
	if err == nil && p.mediaType == "image/gif" {
		err = ErrNotImage
	}
	if err != nil {
		return Imported{}, fmt.Errorf("downscale: %w", err)
	}
	if max(p.width, p.height) <= maxSide {
		fi, err := f.Stat()
		if err != nil {
			return Imported{}, fmt.Errorf("downscale: %w", err)
		}
		return Imported{SHA256: sha, Size: fi.Size(), MediaType: p.mediaType}, nil
	}
	img, err := decodeImage(f, p.mediaType)
	if err != nil {
		return Imported{}, fmt.Errorf("downscale: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Imported{}, err
	}
	small := scale(img, maxSide, draw.CatmullRom, nil)
	if err := ctx.Err(); err != nil {
		return Imported{}, err
	}
	var encode func(io.Writer) error
	if p.mediaType == "image/jpeg" {
		small = orient(small, p.orientation)
		encode = func(w io.Writer) error { return jpeg.Encode(w, small, &jpeg.Options{Quality: downscaleQuality}) }
	} else {
		encode = func(w io.Writer) error { return png.Encode(w, small) }
	}
	newSHA, size, err := s.files.Write(encode)
	if err != nil {
		return Imported{}, fmt.Errorf("downscale: %w", err)
	}
	return Imported{SHA256: newSHA, Size: size, MediaType: p.mediaType}, nil
}

// Thumbnail returns the path of a JPEG of a stored image whose longest side is size
// pixels (smaller images are not enlarged), upright, transparent parts on white. It is
// made once and cached in dir/thumbs/. Other files give ErrNotImage.
func (s *Store) Thumbnail(sha string, size int) (string, error) {
	if size < 1 {
		return "", fmt.Errorf("thumbnail: invalid size %d", size)
	}
	path, ok := s.Path(sha)
	if !ok {
		return "", fmt.Errorf("thumbnail %.12s: %w", sha, fs.ErrNotExist)
	}
	thumb := filepath.Join(s.files.Dir(), thumbDirName, sha+"-"+strconv.Itoa(size)+".jpg")
	if fi, err := os.Stat(thumb); err == nil && fi.Size() > 0 {
		return thumb, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("thumbnail: %w", err)
	}
	defer f.Close()
	p, err := probeImage(f)
	if err != nil {
		return "", fmt.Errorf("thumbnail: %w", err)
	}
	img, err := decodeImage(f, p.mediaType)
	if err != nil {
		return "", fmt.Errorf("thumbnail: %w", err)
	}
	small := orient(scale(img, min(size, max(p.width, p.height)), draw.BiLinear, image.White), p.orientation)
	if err := s.files.WriteFile(thumb, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := jpeg.Encode(bw, small, &jpeg.Options{Quality: thumbQuality}); err != nil {
			return err
		}
		return bw.Flush()
	}); err != nil {
		return "", fmt.Errorf("thumbnail: %w", err)
	}
	return thumb, nil
}

// scale returns src resized so that its longest side is side pixels. With a non-nil
// background, src is drawn over it (for JPEG output, which has no transparency).
func scale(src image.Image, side int, k draw.Interpolator, background image.Image) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w >= h {
		w, h = side, max(1, (h*side+w/2)/w)
	} else {
		w, h = max(1, (w*side+h/2)/h), side
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	op := draw.Src
	if background != nil {
		draw.Draw(dst, dst.Bounds(), background, image.Point{}, draw.Src)
		op = draw.Over
	}
	k.Scale(dst, dst.Bounds(), src, b, op, nil)
	return dst
}
