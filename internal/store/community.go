package store

import "paperboy"

// Community returns the community store of a store Open returned: the same
// database. Returns EINVALID for a backend without one.
func Community(ps paperboy.PaperStore) (paperboy.CommunityStore, error) {
	cs, ok := ps.(paperboy.CommunityStore)
	if !ok {
		return nil, paperboy.Errorf(paperboy.EINVALID, "This database backend does not keep upvotes, comments or trending.")
	}
	return cs, nil
}
