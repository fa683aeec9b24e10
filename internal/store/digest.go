package store

import "paperboy"

// Digests returns the digest store of a store Open returned: the same
// database. Returns EINVALID for a backend that does not keep digests.
func Digests(ps paperboy.PaperStore) (paperboy.DigestStore, error) {
	ds, ok := ps.(paperboy.DigestStore)
	if !ok {
		return nil, paperboy.Errorf(paperboy.EINVALID, "This database backend does not support the e-mail digest.")
	}
	return ds, nil
}
