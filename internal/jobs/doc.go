// Package jobs runs background jobs (the harvest, the trending refresh,
// digest composition) once across the serve replicas of one database. A
// replica runs a job only while it holds the job's row lease in the store
// (paperboy.JobStore), renews it while the job runs, and releases it at
// the end, or keeps it for a period so a periodic job runs once per period.
package jobs
