package main

import "paperboy/internal/jobs"

// newJobs returns the job runner of serve: leases in the database, so the
// harvest, the periodic trending refresh and digest composition run once
// across the replicas sharing it.
func (m *Main) newJobs() *jobs.Runner {
	r := jobs.New(m.Store, m.Logger)
	r.Now = m.Now
	return r
}
