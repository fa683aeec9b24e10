package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"paperboy"
	"paperboy/internal/store/rowcodec"
)

var _ paperboy.CommunityStore = (*Store)(nil)

// idList is ids as a JSON array, for "IN (SELECT value FROM json_each(?))".
func idList(ids []paperboy.ArxivID) string {
	b, _ := json.Marshal(ids) // strings always marshal
	return string(b)
}

// notFoundIfFK turns a foreign-key failure into ENOTFOUND with msg.
func notFoundIfFK(op string, err error, msg string) error {
	if isConstraint(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY) {
		return paperboy.Errorf(paperboy.ENOTFOUND, "%s", msg)
	}
	return dbError(op, err)
}

// AddVote records v; a repeated vote is ignored.
func (s *Store) AddVote(ctx context.Context, v paperboy.Vote) (bool, error) {
	const q = `INSERT INTO votes (user_id, paper_id, created) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
	res, err := s.w.ExecContext(ctx, q, v.UserID, v.PaperID, v.Created.Unix())
	if err != nil {
		return false, notFoundIfFK("insert vote", err, "No such paper or user.")
	}
	n, err := res.RowsAffected()
	return n > 0, dbError("insert vote", err)
}

// RemoveVote removes the user's vote for the paper.
func (s *Store) RemoveVote(ctx context.Context, userID int64, paperID paperboy.ArxivID) (bool, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM votes WHERE user_id = ? AND paper_id = ?`, userID, paperID)
	if err != nil {
		return false, dbError("delete vote", err)
	}
	n, err := res.RowsAffected()
	return n > 0, dbError("delete vote", err)
}

// VoteCounts counts the votes of each paper in ids.
func (s *Store) VoteCounts(ctx context.Context, ids []paperboy.ArxivID, userID int64) (map[paperboy.ArxivID]paperboy.VoteCount, error) {
	out := make(map[paperboy.ArxivID]paperboy.VoteCount)
	if len(ids) == 0 {
		return out, nil
	}
	const q = `SELECT paper_id, count(*), max(user_id = ?) FROM votes
		WHERE paper_id IN (SELECT value FROM json_each(?)) GROUP BY paper_id`
	rows, err := s.r.QueryContext(ctx, q, userID, idList(ids))
	if err != nil {
		return nil, dbError("count votes", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id paperboy.ArxivID
		var c paperboy.VoteCount
		if err := rows.Scan(&id, &c.Count, &c.Mine); err != nil {
			return nil, dbError("scan vote count", err)
		}
		out[id] = c
	}
	return out, dbError("count votes", rows.Err())
}

// VotesSince returns the votes cast at or after since.
func (s *Store) VotesSince(ctx context.Context, since time.Time) ([]paperboy.Vote, error) {
	const q = `SELECT user_id, paper_id, created FROM votes WHERE created >= ? ORDER BY created, paper_id, user_id`
	rows, err := s.r.QueryContext(ctx, q, since.Unix())
	if err != nil {
		return nil, dbError("read votes", err)
	}
	defer rows.Close()
	var out []paperboy.Vote
	for rows.Next() {
		var v paperboy.Vote
		var created int64
		if err := rows.Scan(&v.UserID, &v.PaperID, &created); err != nil {
			return nil, dbError("scan vote", err)
		}
		v.Created = time.Unix(created, 0).UTC()
		out = append(out, v)
	}
	return out, dbError("read votes", rows.Err())
}

// CreateSubmission stores sub; a paper is submitted once.
func (s *Store) CreateSubmission(ctx context.Context, sub *paperboy.Submission) error {
	const q = `INSERT INTO submissions (paper_id, user_id, comment, created) VALUES (?, ?, ?, ?)`
	_, err := s.w.ExecContext(ctx, q, sub.PaperID, sub.UserID, sub.Comment, sub.Created.Unix())
	if isConstraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) || isConstraint(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE) {
		return paperboy.Errorf(paperboy.ECONFLICT, "Paper %s was submitted already.", sub.PaperID)
	} else if err != nil {
		return notFoundIfFK("insert submission", err, "No such paper or user.")
	}
	sub.Created = rowcodec.StoreTime(sub.Created)
	return nil
}

const submissionFields = `SELECT s.paper_id, s.user_id, s.comment, s.created,
	u.id, u.email, u.name, u.admin, u.created`

const submissionSelect = submissionFields + `
	FROM submissions s JOIN users u ON u.id = s.user_id`

func scanSubmission(row scanner, extra ...any) (*paperboy.Submission, error) {
	var sub paperboy.Submission
	var u paperboy.User
	var created, ucreated int64
	dest := []any{&sub.PaperID, &sub.UserID, &sub.Comment, &created, &u.ID, &u.Email, &u.Name, &u.Admin, &ucreated}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	sub.Created, u.Created = time.Unix(created, 0).UTC(), time.Unix(ucreated, 0).UTC()
	sub.Submitter = &u
	return &sub, nil
}

// Submission returns the submission of a paper.
func (s *Store) Submission(ctx context.Context, paperID paperboy.ArxivID) (*paperboy.Submission, error) {
	sub, err := scanSubmission(s.r.QueryRowContext(ctx, submissionSelect+` WHERE s.paper_id = ?`, paperID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s has not been submitted.", paperID)
	}
	return sub, dbError("read submission", err)
}

// Submissions returns the submissions f selects, newest first.
func (s *Store) Submissions(ctx context.Context, f paperboy.SubmissionFilter) ([]*paperboy.Submission, int, error) {
	if f.Limit < 0 || f.Offset < 0 {
		return nil, 0, paperboy.Errorf(paperboy.EINVALID, "Invalid limit %d or offset %d: neither may be negative.", f.Limit, f.Offset)
	}
	where, args := ` WHERE 1=1`, []any{}
	if !f.From.IsZero() {
		where, args = where+` AND s.created >= ?`, append(args, f.From.Unix())
	}
	if !f.To.IsZero() {
		where, args = where+` AND s.created < ?`, append(args, f.To.Unix())
	}
	if f.UserID != 0 {
		where, args = where+` AND s.user_id = ?`, append(args, f.UserID)
	}
	if f.Submitter != "" {
		if id, name := paperboy.ParsePublicName(f.Submitter); id != 0 {
			where, args = where+` AND u.id = ? AND u.name = ''`, append(args, id)
		} else {
			where, args = where+` AND lower(u.name) = lower(?)`, append(args, name)
		}
	}
	// One statement, one snapshot: the window counts the matches before
	// LIMIT (the home page asks twice per view).
	const from = ` FROM submissions s JOIN users u ON u.id = s.user_id`
	q := submissionFields + `, count(*) OVER ()` + from + where + ` ORDER BY s.created DESC, s.paper_id LIMIT ? OFFSET ?`
	rows, err := s.r.QueryContext(ctx, q, append(args, limitArg(f.Limit), f.Offset)...)
	if err != nil {
		return nil, 0, dbError("read submissions", err)
	}
	defer rows.Close()
	var out []*paperboy.Submission
	var total int
	for rows.Next() {
		sub, err := scanSubmission(rows, &total)
		if err != nil {
			return nil, 0, dbError("scan submission", err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil || len(out) > 0 || f.Offset == 0 {
		return out, total, dbError("read submissions", err)
	}
	// A page past the last match: count them.
	err = s.r.QueryRowContext(ctx, `SELECT count(*)`+from+where, args...).Scan(&total)
	return nil, total, dbError("count submissions", err)
}
