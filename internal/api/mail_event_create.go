package api

import (
	"encoding/json"
	"io"
	"net/http"

	"paperboy"
	"paperboy/internal/digest"
)

// MailEventCreate serves POST /api/v1/mail/events: a relay's or bounce
// processor's report, {"type":"bounce","message_id":"..."} or
// {"type":"complaint","email":"..."}. A hard bounce or complaint suppresses
// the address. Answers 204.
func (d *Digest) MailEventCreate(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(w, r); err != nil {
		return err
	}
	var ev digest.MailEvent
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		return paperboy.Errorf(paperboy.EINVALID, "The body must be a JSON object with type and email or message_id.")
	}
	if err := d.svc.HandleMailEvent(r.Context(), ev); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
