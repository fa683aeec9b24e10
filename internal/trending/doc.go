// Package trending ranks papers by what people do with them: upvote
// velocity with time decay, external signals (GitHub stars and their
// growth, upvotes elsewhere) and recency, for the windows day, week and
// month. Score is the published formula (docs/trending.md), a pure
// function; Service precomputes every window into the store in the
// background, refreshes soon after a vote, and lists the table with each
// paper's reason.
package trending
