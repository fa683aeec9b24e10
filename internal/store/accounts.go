package store

import "paperboy"

// Accounts returns the account store of a store Open returned: the same
// database. Returns EINVALID for a backend that does not keep accounts yet.
func Accounts(ps paperboy.PaperStore) (paperboy.AccountStore, error) {
	as, ok := ps.(paperboy.AccountStore)
	if !ok {
		return nil, paperboy.Errorf(paperboy.EINVALID, "This database backend does not support accounts yet; use SQLite.")
	}
	return as, nil
}
