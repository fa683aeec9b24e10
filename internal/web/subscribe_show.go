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
		if err := h.withOwnSubscription(w, r, u, &page); err != nil {
			return err
		}
	}
	return h.render(w, http.StatusOK, "subscribe", page)
}

// withOwnSubscription fills in a signed-in user's own subscription, when
// their address gets the digest.
func (h *Digests) withOwnSubscription(w http.ResponseWriter, r *http.Request, u *paperboy.User, page *subscribePage) error {
	sub, prefs, err := h.svc.Subscription(r.Context(), u)
	if err != nil || sub == nil {
		return err
	}
	page.Subscribed, page.PrefsURL, page.SendAt = true, prefs, sendAt(sub.Prefs)
	noStore(w) // the page carries a signed link
	return nil
}

// sendAt says when a subscriber's digests come: "7:00 Europe/Paris, daily".
func sendAt(p paperboy.DigestPrefs) string {
	return fmt.Sprintf("%d:00 %s, %s", p.SendHour, p.TimeZone, p.Frequency)
}
