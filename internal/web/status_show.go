package web

import (
	"net/http"
	"strings"
	"time"

	"paperboy"
)

// statusPage shows what the instance does by itself: harvesting.
type statusPage struct {
	layout
	Enabled     bool
	Running     bool
	Sets        string
	NextRun     string
	NextReason  string
	LastRun     *runRow
	LastSuccess *runRow
	Runs        []runRow
}

// runRow is one harvest run as the page shows it.
type runRow struct {
	Finished, Source, Set, Window, Error string
	Pages, Added, Updated                int
	Retries                              int
	OK                                   bool
}

func newRunRow(r *paperboy.HarvestRun) *runRow {
	if r == nil {
		return nil
	}
	window := r.From
	if r.Until != "" && r.Until != r.From {
		window += " – " + r.Until
	}
	source := map[string]string{"oai": "OAI-PMH", "rss": "RSS"}[r.Source]
	return &runRow{Finished: stamp(r.Finished), Source: source, Set: r.Set, Window: window, Error: r.Error,
		Pages: r.Pages, Added: r.Inserted, Updated: r.Updated, Retries: r.Retries, OK: r.OK()}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// StatusShow returns the handler of GET /status, an admin page: anyone
// else gets EUNAUTHORIZED (not signed in) or EFORBIDDEN. A nil monitor
// shows harvesting off. GET /api/v1/status stays public.
func (h *Handler) StatusShow(m paperboy.HarvestMonitor) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := requireAdmin(r); err != nil {
			return err
		}
		var st paperboy.HarvestStatus
		if m != nil {
			var err error
			if st, err = m.HarvestStatus(r.Context()); err != nil {
				return err
			}
		}
		page := statusPage{layout: h.layoutFor(r, "Status"), Enabled: st.Enabled, Running: st.Running,
			Sets: strings.Join(st.Sets, ", "), NextRun: stamp(st.NextRun), NextReason: st.NextReason,
			LastRun: newRunRow(st.LastRun), LastSuccess: newRunRow(st.LastSuccess)}
		for i := range st.Recent {
			page.Runs = append(page.Runs, *newRunRow(&st.Recent[i]))
		}
		w.Header().Set("Cache-Control", "no-store")
		return h.render(w, http.StatusOK, "status", page)
	}
}
