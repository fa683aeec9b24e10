// Package account is who is who: users, magic-link sign-in by e-mail,
// browser sessions and API tokens for scripts. Its Service holds the rules
// (lifetimes, open or closed sign-up, rate limits); a paperboy.AccountStore
// keeps the state, secrets only as SHA-256 hashes. Middleware puts the
// current user in the request context for the web and API front-ends.
package account
