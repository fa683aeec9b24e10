package paperboy

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Vote is one user's upvote of one paper. A user upvotes a paper at most
// once; Created is when.
type Vote struct {
	UserID  int64
	PaperID ArxivID
	Created time.Time
}

// VoteCount is a paper's number of upvotes, and whether the user asking has
// given one of them.
type VoteCount struct {
	Count int
	Mine  bool
}

// Submission records that a user put a paper on the daily page. A paper is
// submitted once; Created is the day it lists under.
type Submission struct {
	PaperID   ArxivID
	UserID    int64
	Comment   string // the submitter's note, plain text; may be empty
	Created   time.Time
	Submitter *User // set by the store on read
}

// SubmissionFilter selects submissions, newest first. Zero fields do not
// filter.
type SubmissionFilter struct {
	From      time.Time // inclusive, by submission time
	To        time.Time // exclusive
	UserID    int64
	Submitter string // a user's public name (see User.PublicName), any case
	Limit     int    // 0 means no limit
	Offset    int
}

// Comment is one message of a paper's discussion. Body is plain text as
// written; it is formatted, escaped, only when shown.
type Comment struct {
	ID       int64
	PaperID  ArxivID
	UserID   int64
	Body     string
	Created  time.Time
	Edited   time.Time // zero if never edited
	Hidden   bool      // hidden by an admin: the thread shows that, not the body
	HiddenBy int64     // the admin's user ID, 0 when not hidden
	Author   *User     // set by the store on read
}

// Signal is one observation of an external signal of a paper: its GitHub
// stars, or its upvotes on another site, at a time. Observations of the
// same paper and signal at the same second replace each other.
type Signal struct {
	PaperID  ArxivID
	Name     string // SignalGitHubStars, SignalExternalUpvotes, ...
	Value    float64
	Ref      string // what was observed, e.g. the GitHub repository URL; may be empty
	Observed time.Time
}

// ValidateSignals reports the first observation a store must refuse: one
// without a name or with an invalid arXiv ID. Returns EINVALID.
func ValidateSignals(signals []Signal) error {
	for i, sg := range signals {
		if sg.Name == "" {
			return Errorf(EINVALID, "Signal %d (paper %s) has no name.", i+1, sg.PaperID)
		}
		if _, _, err := ParseArxivID(string(sg.PaperID)); err != nil {
			return Errorf(EINVALID, "Signal %d: %s", i+1, ErrorMessage(err))
		}
	}
	return nil
}

// Signal names that trending reads.
const (
	SignalGitHubStars     = "github_stars"
	SignalExternalUpvotes = "upvotes" // upvotes elsewhere, e.g. on Hugging Face Papers
)

// Trending windows.
const (
	WindowDay   = "day"
	WindowWeek  = "week"
	WindowMonth = "month"
)

// TrendingWindows lists the windows trending is computed for.
var TrendingWindows = []string{WindowDay, WindowWeek, WindowMonth}

// TrendingEntry is one paper's place in a trending window, with the parts
// its score is made of, so every rank can be explained.
type TrendingEntry struct {
	PaperID    ArxivID
	Window     string
	Rank       int // 1-based
	Score      float64
	Components TrendingComponents
	Computed   time.Time
}

// TrendingComponents are the inputs and the points of a trending score
// (docs/trending.md): Score = VotePoints + StarPoints + ExternalPoints +
// RecencyPoints.
type TrendingComponents struct {
	Upvotes         int     // upvotes cast in the window
	VotePoints      float64 // the same upvotes, each weighted by its age
	Stars           float64 // GitHub stars at the latest observation
	StarsGained     float64 // GitHub stars gained in the window
	StarPoints      float64
	ExternalUpvotes float64 // upvotes elsewhere gained in the window
	ExternalPoints  float64
	RecencyPoints   float64 // how new the paper is
}

// CommunityStore keeps upvotes, submissions, comments, external signals and
// the precomputed trending table. Each method is one transaction. Rules (a
// submission counts as an upvote, who may edit a comment, the trending
// formula) live in internal/community and internal/trending, not here.
type CommunityStore interface {
	// AddVote records v and reports whether it is new: a second vote of the
	// same user for the same paper changes nothing and returns false.
	// Returns ENOTFOUND if the user or the paper does not exist.
	AddVote(ctx context.Context, v Vote) (bool, error)

	// RemoveVote removes the user's vote for the paper and reports whether
	// there was one.
	RemoveVote(ctx context.Context, userID int64, paperID ArxivID) (bool, error)

	// VoteCounts returns the upvote count of each paper in ids that has
	// upvotes, and whether userID (0 for nobody) is among the voters.
	VoteCounts(ctx context.Context, ids []ArxivID, userID int64) (map[ArxivID]VoteCount, error)

	// VotesSince returns the votes cast at or after since, oldest first.
	VotesSince(ctx context.Context, since time.Time) ([]Vote, error)

	// CreateSubmission stores s. Returns ECONFLICT if the paper was
	// submitted already, ENOTFOUND if the user or the paper does not exist.
	CreateSubmission(ctx context.Context, s *Submission) error

	// Submission returns the submission of a paper, with its submitter.
	// Returns ENOTFOUND if the paper was never submitted.
	Submission(ctx context.Context, paperID ArxivID) (*Submission, error)

	// Submissions returns the submissions matching f, newest first, with
	// their submitters, and the number of matches ignoring Limit and
	// Offset. Returns EINVALID for a negative Limit or Offset.
	Submissions(ctx context.Context, f SubmissionFilter) ([]*Submission, int, error)

	// CreateComment stores c and sets its ID. Returns ENOTFOUND if the user
	// or the paper does not exist.
	CreateComment(ctx context.Context, c *Comment) error

	// Comment returns a comment with its author. Returns ENOTFOUND if there
	// is none.
	Comment(ctx context.Context, id int64) (*Comment, error)

	// Comments returns a paper's comments, hidden ones included, oldest
	// first, with their authors.
	Comments(ctx context.Context, paperID ArxivID) ([]*Comment, error)

	// EditComment replaces a comment's body and sets its Edited time.
	// Returns ENOTFOUND if there is no such comment.
	EditComment(ctx context.Context, id int64, body string, edited time.Time) error

	// HideComment hides (or shows again, with hidden false) a comment;
	// by is the admin's user ID. Returns ENOTFOUND if there is none.
	HideComment(ctx context.Context, id int64, hidden bool, by int64) error

	// DeleteComment removes a comment. Returns ENOTFOUND if there is none.
	DeleteComment(ctx context.Context, id int64) error

	// CommentCounts returns the number of comments not hidden of each paper
	// in ids that has any.
	CommentCounts(ctx context.Context, ids []ArxivID) (map[ArxivID]int, error)

	// AddSignals stores observations, replacing any of the same paper,
	// name and second. Papers need not be stored (signals may arrive
	// first). Returns EINVALID, naming the observation, for an empty name
	// or a malformed paper ID; nothing is written then.
	AddSignals(ctx context.Context, signals []Signal) error

	// Signals returns every observation at or after since and, for each
	// paper and signal, the latest one before since (a baseline for
	// growth), ordered by paper, name and time.
	Signals(ctx context.Context, since time.Time) ([]Signal, error)

	// LatestSignals returns the latest observation of each signal of each
	// paper in ids, keyed by paper, then by signal name.
	LatestSignals(ctx context.Context, ids []ArxivID) (map[ArxivID]map[string]Signal, error)

	// ReplaceTrending replaces the entries of one window with entries (in
	// rank order) in one transaction, so readers see the old table or the
	// new, never a mix. Returns EINVALID for an unknown window.
	ReplaceTrending(ctx context.Context, window string, entries []TrendingEntry) error

	// Trending returns a window's entries in rank order, and how many it
	// has. Limit 0 means no limit; EINVALID for a negative one or an
	// unknown window.
	Trending(ctx context.Context, window string, limit, offset int) ([]TrendingEntry, int, error)
}

// PublicName is how other people see u: its display name, else "user-ID".
// E-mail addresses are never shown to others.
func (u *User) PublicName() string {
	if u == nil {
		return ""
	}
	if u.Name != "" {
		return u.Name
	}
	return fmt.Sprintf("user-%d", u.ID)
}

// ValidWindow returns EINVALID unless w is a trending window.
func ValidWindow(w string) error {
	switch w {
	case WindowDay, WindowWeek, WindowMonth:
		return nil
	}
	return Errorf(EINVALID, "Invalid trending window %q: expected day, week or month.", w)
}

// ParsePublicName reads a name PublicName made: "user-ID", in any case
// ("User-7" too), gives the ID and "", anything else 0 and the name as
// given. Only the form PublicName writes counts: "user-07" and "user-+7"
// are names.
func ParsePublicName(s string) (int64, string) {
	const prefix = "user-"
	if len(s) <= len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return 0, s
	}
	digits := s[len(prefix):]
	id, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != digits {
		return 0, s
	}
	return id, ""
}
