package web

import (
	"net/http"

	"paperboy"
)

// TokenCreate makes an API token and shows its secret on the settings page,
// this once. The response is not cached.
func (h *Accounts) TokenCreate(w http.ResponseWriter, r *http.Request) error {
	u := signedIn(w, r)
	if u == nil {
		return nil
	}
	tok, secret, err := h.svc.CreateAPIToken(r.Context(), u, r.PostFormValue("name"))
	page, perr := h.settings(r, u)
	if perr != nil {
		return perr
	}
	if paperboy.ErrorCode(err) == paperboy.EINVALID {
		page.TokenNameError = paperboy.ErrorMessage(err)
		return &pageError{err: err, name: "settings", data: page}
	} else if err != nil {
		return err
	}
	page.NewToken, page.NewTokenName = secret, tok.Name
	w.Header().Set("Cache-Control", "no-store")
	return h.render(w, http.StatusCreated, "settings", page)
}
