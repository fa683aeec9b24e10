package web

import (
	"net/http"

	"paperboy"
	"paperboy/internal/account"
)

// SettingsShow lists the user's sessions and API tokens.
func (h *Accounts) SettingsShow(w http.ResponseWriter, r *http.Request) error {
	u := signedIn(w, r)
	if u == nil {
		return nil
	}
	page, err := h.settings(r, u)
	if err != nil {
		return err
	}
	return h.render(w, http.StatusOK, "settings", page)
}

func (h *Accounts) settings(r *http.Request, u *paperboy.User) (settingsPage, error) {
	page := settingsPage{layout: h.layoutFor(r, "Settings")}
	sessions, err := h.svc.Sessions(r.Context(), u)
	if err != nil {
		return page, err
	}
	cur := account.SessionFrom(r.Context())
	for _, s := range sessions {
		page.Sessions = append(page.Sessions, sessionRow{Session: s, Current: cur != nil && cur.ID == s.ID})
	}
	page.Tokens, err = h.svc.APITokens(r.Context(), u)
	return page, err
}
