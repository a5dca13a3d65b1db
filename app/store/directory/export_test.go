package directory

// MemoFresh tells whether the search memo matches the copy (no search would reload it).
func MemoFresh(d *Directory) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.memo != nil && d.memo.gen == d.gen.Load()
}
