package web

import (
	"net/http"
	"net/url"

	"paperboy"
)

// DigestFeedbackShow serves the page a "more/less like this" link opens.
func (h *Digests) DigestFeedbackShow(w http.ResponseWriter, r *http.Request) error {
	tok := r.URL.Query().Get("token")
	fl, err := h.svc.FeedbackToken(r.Context(), tok)
	if err != nil {
		return err
	}
	msg, button := "Show me more papers like "+string(fl.PaperID)+"?", "More like this"
	if fl.Kind == paperboy.FeedbackLess {
		msg, button = "Show me fewer papers like "+string(fl.PaperID)+"?", "Less like this"
	}
	noStore(w)
	return h.render(w, http.StatusOK, "digest_confirm", digestConfirmPage{
		layout: h.layoutFor(r, "Digest feedback"), Heading: "Tune your digest", Message: msg,
		Action: "/digest/feedback?token=" + url.QueryEscape(tok), Token: tok, Button: button,
	})
}
