package main

import (
	"paperboy/internal/jobs"
	"paperboy/internal/store"
)

// newJobs returns the job runner of serve: leases in the database, so the
// harvest, the periodic trending refresh and digest composition run once
// across the replicas sharing it. A backend without job leases runs them
// in this process unguarded.
func (m *Main) newJobs() *jobs.Runner {
	js, err := store.Jobs(m.Store)
	if err != nil {
		m.Logger.Warn("job_leases_disabled", "err", err)
		return nil
	}
	r := jobs.New(js, m.Logger)
	r.Now = m.Now
	return r
}
