package store

import "paperboy"

// Jobs returns the job lease store of a store Open returned: the same
// database. Returns EINVALID for a backend that keeps no job leases.
func Jobs(ps paperboy.PaperStore) (paperboy.JobStore, error) {
	js, ok := ps.(paperboy.JobStore)
	if !ok {
		return nil, paperboy.Errorf(paperboy.EINVALID, "This database backend does not keep job leases.")
	}
	return js, nil
}
