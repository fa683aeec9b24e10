-- Jobs: leases of background jobs, so each runs once across replicas.
-- One row per job; holder is the replica's lease name; expires is Unix
-- seconds, UTC. A lease that has expired is free for anyone to claim.

CREATE TABLE job_leases (
	name    TEXT PRIMARY KEY,
	holder  TEXT NOT NULL,
	expires INTEGER NOT NULL
) STRICT;
