package evidence_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/evidence"
)

// photo returns a w×h test picture: gradients with some sensor-like noise, which
// compresses (and shrinks when scaled down) as a real photo does.
func photo(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	seed := uint32(1)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			seed = seed*1664525 + 1013904223
			n := uint8(seed>>24) & 3
			img.SetNRGBA(x, y, color.NRGBA{uint8(x*239/w) + n, uint8(y*239/h) + n, 128 + n, 255})
		}
	}
	return img
}

func encoded(t *testing.T, img image.Image, kind string) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if kind == "jpeg" {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95})
	} else {
		// Fast rather than small: a 4000×3000 PNG takes seconds on a busy machine.
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func importBytes(t *testing.T, s *evidence.Store, name string, data []byte) evidence.Imported {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	writeFile(t, p, data)
	im, err := s.Import(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

func decodeStored(t *testing.T, path string) (image.Image, string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, kind, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img, kind
}

func TestDownscale(t *testing.T) {
	big := photo(4000, 3000)
	cases := []struct {
		kind, mediaType string
	}{
		{"jpeg", "image/jpeg"},
		{"png", "image/png"},
	}
	for _, tc := range cases {
		t.Run(tc.kind, func(t *testing.T) {
			s, _ := newStore(t)
			orig := importBytes(t, s, "photo."+tc.kind, encoded(t, big, tc.kind))

			got, err := s.Downscale(context.Background(), orig.SHA256, 1600)
			if err != nil {
				t.Fatal(err)
			}
			if got.SHA256 == orig.SHA256 || got.Size >= orig.Size {
				t.Errorf("Downscale = %+v, want a smaller new file than %+v", got, orig)
			}
			if got.MediaType != tc.mediaType {
				t.Errorf("MediaType = %q, want %q", got.MediaType, tc.mediaType)
			}
			p, ok := s.Path(got.SHA256)
			if !ok {
				t.Fatal("downscaled copy not in the store")
			}
			img, kind := decodeStored(t, p)
			if kind != tc.kind {
				t.Errorf("downscaled copy is %s, want %s", kind, tc.kind)
			}
			if b := img.Bounds(); b.Dx() != 1600 || b.Dy() != 1200 {
				t.Errorf("downscaled to %v, want 1600×1200", b.Size())
			}
			if _, ok := s.Path(orig.SHA256); !ok {
				t.Error("original gone from the store")
			}

			// Small enough already: the original, unchanged.
			same, err := s.Downscale(context.Background(), orig.SHA256, 4000)
			if err != nil {
				t.Fatal(err)
			}
			if same.SHA256 != orig.SHA256 || same.Size != orig.Size {
				t.Errorf("Downscale(4000) = %+v, want the original %+v", same, orig)
			}
		})
	}
}

func TestDownscaleErrors(t *testing.T) {
	s, _ := newStore(t)
	txt := importBytes(t, s, "notes.txt", []byte("pas une image"))
	gif := importBytes(t, s, "x.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	fake := importBytes(t, s, "faux.jpg", []byte("\xff\xd8\xff\xe0 truncated"))
	img := importBytes(t, s, "p.png", encoded(t, photo(10, 10), "png"))
	cases := []struct {
		name    string
		sha     string
		maxSide int
		notImg  bool
	}{
		{"text", txt.SHA256, 100, true},
		{"gif", gif.SHA256, 100, true},
		{"broken jpeg", fake.SHA256, 100, true},
		{"unknown hash", "0000000000000000000000000000000000000000000000000000000000000000", 100, false},
		{"zero size", img.SHA256, 0, false},
	}
	for _, tc := range cases {
		_, err := s.Downscale(context.Background(), tc.sha, tc.maxSide)
		if err == nil {
			t.Errorf("%s: Downscale succeeded", tc.name)
		} else if got := errors.Is(err, evidence.ErrNotImage); got != tc.notImg {
			t.Errorf("%s: errors.Is(%v, ErrNotImage) = %v, want %v", tc.name, err, got, tc.notImg)
		}
	}
}

func TestThumbnail(t *testing.T) {
	s, dir := newStore(t)
	im := importBytes(t, s, "photo.png", encoded(t, photo(800, 400), "png"))

	p, err := s.Thumbnail(im.SHA256, 128)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(p) != filepath.Join(dir, "thumbs") {
		t.Errorf("thumbnail at %s, want under %s/thumbs", p, dir)
	}
	img, kind := decodeStored(t, p)
	if kind != "jpeg" || img.Bounds().Dx() != 128 || img.Bounds().Dy() != 64 {
		t.Errorf("thumbnail is a %s of %v, want a jpeg of 128×64", kind, img.Bounds().Size())
	}
	before, _ := os.Stat(p)
	again, err := s.Thumbnail(im.SHA256, 128)
	if err != nil || again != p {
		t.Fatalf("second Thumbnail = %s, %v; want %s", again, err, p)
	}
	if after, _ := os.Stat(p); !after.ModTime().Equal(before.ModTime()) {
		t.Error("cached thumbnail was made again")
	}

	// A small image is not enlarged.
	small := importBytes(t, s, "petit.jpg", encoded(t, photo(30, 20), "jpeg"))
	sp, err := s.Thumbnail(small.SHA256, 128)
	if err != nil {
		t.Fatal(err)
	}
	if img, _ := decodeStored(t, sp); img.Bounds().Dx() != 30 {
		t.Errorf("thumbnail of a 30×20 image is %v wide, want 30", img.Bounds().Dx())
	}

	txt := importBytes(t, s, "notes.txt", []byte("texte"))
	if _, err := s.Thumbnail(txt.SHA256, 128); !errors.Is(err, evidence.ErrNotImage) {
		t.Errorf("Thumbnail(text) err = %v, want ErrNotImage", err)
	}

	// Remove takes the thumbnails along.
	if err := s.Remove(im.SHA256); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("thumbnail still there after Remove: %v", err)
	}
}

// exifJPEG returns a JPEG of img carrying an EXIF orientation tag, as phones write.
func exifJPEG(t *testing.T, img image.Image, orientation byte) []byte {
	t.Helper()
	plain := encoded(t, img, "jpeg")
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, // Orientation, SHORT, 1
		0, 0, 0, 0} // no next IFD
	body := append([]byte("Exif\x00\x00"), tiff...)
	n := len(body) + 2
	app1 := append([]byte{0xFF, 0xE1, byte(n >> 8), byte(n)}, body...)
	return append(append(append([]byte{}, plain[:2]...), app1...), plain[2:]...)
}

func TestOrientation(t *testing.T) {
	// Left half red, right half blue, 40×20. Orientation 6 means "turn 90° clockwise":
	// upright, the picture is 20×40 with red on top.
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for y := 0; y < 20; y++ {
		for x := 0; x < 40; x++ {
			c := color.RGBA{255, 0, 0, 255}
			if x >= 20 {
				c = color.RGBA{0, 0, 255, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	s, _ := newStore(t)
	im := importBytes(t, s, "phone.jpg", exifJPEG(t, img, 6))
	p, err := s.Thumbnail(im.SHA256, 40)
	if err != nil {
		t.Fatal(err)
	}
	th, _ := decodeStored(t, p)
	if b := th.Bounds(); b.Dx() != 20 || b.Dy() != 40 {
		t.Fatalf("thumbnail is %v, want 20×40", b.Size())
	}
	isRed := func(c color.Color) bool { r, _, b, _ := c.RGBA(); return r > 0xc000 && b < 0x4000 }
	if !isRed(th.At(10, 5)) || isRed(th.At(10, 35)) {
		t.Errorf("thumbnail not turned upright: top %v, bottom %v", th.At(10, 5), th.At(10, 35))
	}

	// Downscale applies it too, since the copy carries no EXIF.
	d, err := s.Downscale(context.Background(), im.SHA256, 20)
	if err != nil {
		t.Fatal(err)
	}
	dp, _ := s.Path(d.SHA256)
	if small, _ := decodeStored(t, dp); small.Bounds().Dx() != 10 || small.Bounds().Dy() != 20 {
		t.Errorf("downscaled to %v, want 10×20", small.Bounds().Size())
	}
}
