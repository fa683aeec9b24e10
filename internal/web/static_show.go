package web

import (
	"bytes"
	"net/http"
	"time"

	"paperboy"
)

// StaticShow serves an embedded asset from /static/{file}. A URL carrying
// the asset's current hash (as templates link it) may be cached for good.
func (h *Handler) StaticShow(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	a, ok := h.assets[name]
	if !ok {
		return paperboy.Errorf(paperboy.ENOTFOUND, "There is no file /static/%s.", name)
	}
	if r.URL.Query().Get("v") == a.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=3600")
	}
	w.Header().Set("Content-Type", a.ctype)
	w.Header().Set("ETag", `"`+a.hash+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
	return nil
}
