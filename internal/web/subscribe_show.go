package web

import (
	"fmt"
	"net/http"

	"paperboy"
	"paperboy/internal/account"
)

// SubscribeShow serves the subscription form, filled in for a signed-in
// user. It is also the digest part of a signed-in user's settings: when
// their own address is subscribed it says so and links to its
// preferences and unsubscribe pages.
func (h *Digests) SubscribeShow(w http.ResponseWriter, r *http.Request) error {
	page := subscribePage{layout: h.layoutFor(r, "Daily digest")}
	if u := account.UserFrom(r.Context()); u != nil {
		page.Email = u.Email
		sub, prefs, err := h.svc.Subscription(r.Context(), u)
		if err != nil {
			return err
		}
		if sub != nil {
			page.Subscribed, page.PrefsURL, page.SendAt = true, prefs, sendAt(sub.Prefs)
			noStore(w) // the page carries a signed link
		}
	}
	return h.render(w, http.StatusOK, "subscribe", page)
}

// sendAt says when a subscriber's digests come: "7:00 Europe/Paris, daily".
func sendAt(p paperboy.DigestPrefs) string {
	return fmt.Sprintf("%d:00 %s, %s", p.SendHour, p.TimeZone, p.Frequency)
}
