package api

import (
	"net/http"
	"time"
)

// digestDayJSON is one day of GET /api/v1/digest/stats.
type digestDayJSON struct {
	Date        string `json:"date"`
	Subscribers int    `json:"subscribers"`
	Confirmed   int    `json:"confirmed"`
	Pending     int    `json:"pending"`
	Sent        int    `json:"sent"`
	Deferred    int    `json:"deferred"`
	Failed      int    `json:"failed"`
	Bounced     int    `json:"bounced"`
	Skipped     int    `json:"skipped"`
	Suppressed  int    `json:"suppressed"`
}

// DigestStatsShow serves GET /api/v1/digest/stats?days=N (default 14, at
// most 90): per issue date, oldest first.
func (d *Digest) DigestStatsShow(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(w, r); err != nil {
		return err
	}
	days, err := intParam(r.URL.Query(), "days", 14, 1, 90)
	if err != nil {
		return err
	}
	stats, err := d.svc.Stats(r.Context(), days)
	if err != nil {
		return err
	}
	out := make([]digestDayJSON, len(stats))
	for i, s := range stats {
		out[i] = digestDayJSON{Date: s.Date.Format(time.DateOnly), Subscribers: s.Subscribers, Confirmed: s.Confirmed,
			Pending: s.Pending, Sent: s.Sent, Deferred: s.Deferred, Failed: s.Failed, Bounced: s.Bounced,
			Skipped: s.Skipped, Suppressed: s.Suppressed}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"days": out})
}
