// Package harvest keeps the store current from arXiv by itself: an OAI-PMH
// harvester that pages through a date window with resumption tokens and
// checkpoints each page in the transaction that stores its papers, an RSS
// reader for the day's announcements, and the scheduler that runs them
// inside `paperboy serve` after each arXiv announcement and daily as a
// catch-up.
package harvest
