package web

import (
	"net/http"
)

// DigestFeedbackCreate records a "more/less like this".
func (h *Digests) DigestFeedbackCreate(w http.ResponseWriter, r *http.Request) error {
	fl, err := h.svc.RecordFeedback(r.Context(), r.FormValue("token"))
	if err != nil {
		return err
	}
	noStore(w)
	return h.render(w, http.StatusOK, "digest_confirm", digestConfirmPage{
		layout: h.layoutFor(r, "Thanks"), Heading: "Thanks",
		Done: "Noted: " + fl.Kind + " like " + string(fl.PaperID) + ". Your next digests take it into account.",
	})
}
