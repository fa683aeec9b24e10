package api

import (
	"net/http"

	"paperboy"
)

type statusResponse struct {
	Harvest harvestStatus `json:"harvest"`
}

type harvestStatus struct {
	Enabled     bool         `json:"enabled"`
	Running     bool         `json:"running"`
	Sets        []string     `json:"sets"`
	NextRun     timestamp    `json:"next_run"`
	NextReason  string       `json:"next_reason,omitempty"`
	LastRun     *harvestRun  `json:"last_run"`
	LastSuccess *harvestRun  `json:"last_success"`
	Recent      []harvestRun `json:"recent"`
}

type harvestRun struct {
	ID            int64     `json:"id"`
	Source        string    `json:"source"`
	Set           string    `json:"set"`
	From          string    `json:"from,omitempty"`
	Until         string    `json:"until,omitempty"`
	Started       timestamp `json:"started"`
	Finished      timestamp `json:"finished"`
	Pages         int       `json:"pages"`
	Records       int       `json:"records"`
	PapersAdded   int       `json:"papers_added"`
	PapersUpdated int       `json:"papers_updated"`
	Skipped       int       `json:"skipped"`
	Retries       int       `json:"retries"`
	OK            bool      `json:"ok"`
	Error         string    `json:"error,omitempty"`
}

func newHarvestRun(r *paperboy.HarvestRun) *harvestRun {
	if r == nil {
		return nil
	}
	return &harvestRun{ID: r.ID, Source: r.Source, Set: r.Set, From: r.From, Until: r.Until,
		Started: timestamp(r.Started), Finished: timestamp(r.Finished), Pages: r.Pages, Records: r.Records,
		PapersAdded: r.Inserted, PapersUpdated: r.Updated, Skipped: r.Skipped, Retries: r.Retries,
		OK: r.OK(), Error: r.Error}
}

// StatusShow returns the handler of GET /api/v1/status: whether harvesting
// runs, when it runs next, and what the latest runs did. A nil monitor
// reports harvesting off.
func StatusShow(m paperboy.HarvestMonitor) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		var st paperboy.HarvestStatus
		if m != nil {
			var err error
			if st, err = m.HarvestStatus(r.Context()); err != nil {
				return err
			}
		}
		out := harvestStatus{Enabled: st.Enabled, Running: st.Running, Sets: st.Sets,
			NextRun: timestamp(st.NextRun), NextReason: st.NextReason,
			LastRun: newHarvestRun(st.LastRun), LastSuccess: newHarvestRun(st.LastSuccess),
			Recent: make([]harvestRun, 0, len(st.Recent))}
		if out.Sets == nil {
			out.Sets = []string{}
		}
		for i := range st.Recent {
			out.Recent = append(out.Recent, *newHarvestRun(&st.Recent[i]))
		}
		w.Header().Set("Cache-Control", "no-store")
		return writeJSON(w, http.StatusOK, statusResponse{Harvest: out})
	}
}
