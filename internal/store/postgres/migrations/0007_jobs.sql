-- Jobs: leases of background jobs, so each runs once across replicas.
-- One row per job; holder is the replica's lease name; expires is Unix
-- seconds (bigint), as in SQLite. A lease that has expired is free for
-- anyone to claim.

CREATE TABLE job_leases (
	name    text PRIMARY KEY,
	holder  text NOT NULL,
	expires bigint NOT NULL
);
