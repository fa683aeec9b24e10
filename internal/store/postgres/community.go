package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"paperboy"
	"paperboy/internal/store/rowcodec"
)

var _ paperboy.CommunityStore = (*Store)(nil)

// notFoundIfFK turns a foreign-key failure into ENOTFOUND with msg.
func notFoundIfFK(op string, err error, msg string) error {
	if isCode(err, codeForeignKeyViolation) {
		return paperboy.Errorf(paperboy.ENOTFOUND, "%s", msg)
	}
	return dbError(op, err)
}

// AddVote records v; a repeated vote is ignored.
func (s *Store) AddVote(ctx context.Context, v paperboy.Vote) (bool, error) {
	const q = `INSERT INTO votes (user_id, paper_id, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
	tag, err := s.pool.Exec(ctx, q, v.UserID, string(v.PaperID), v.Created.Unix())
	if err != nil {
		return false, notFoundIfFK("insert vote", err, "No such paper or user.")
	}
	return tag.RowsAffected() > 0, nil
}

// RemoveVote removes the user's vote for the paper.
func (s *Store) RemoveVote(ctx context.Context, userID int64, paperID paperboy.ArxivID) (bool, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM votes WHERE user_id = $1 AND paper_id = $2`, userID, string(paperID))
	if err != nil {
		return false, dbError("delete vote", err)
	}
	return tag.RowsAffected() > 0, nil
}

// VoteCounts counts the votes of each paper in ids.
func (s *Store) VoteCounts(ctx context.Context, ids []paperboy.ArxivID, userID int64) (map[paperboy.ArxivID]paperboy.VoteCount, error) {
	out := make(map[paperboy.ArxivID]paperboy.VoteCount)
	if len(ids) == 0 {
		return out, nil
	}
	const q = `SELECT paper_id, count(*), bool_or(user_id = $1) FROM votes
		WHERE paper_id = ANY($2) GROUP BY paper_id`
	rows, err := s.pool.Query(ctx, q, userID, idStrings(ids))
	if err != nil {
		return nil, dbError("count votes", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var c paperboy.VoteCount
		if err := rows.Scan(&id, &c.Count, &c.Mine); err != nil {
			return nil, dbError("scan vote count", err)
		}
		out[paperboy.ArxivID(id)] = c
	}
	return out, dbError("count votes", rows.Err())
}

// VotesSince returns the votes cast at or after since.
func (s *Store) VotesSince(ctx context.Context, since time.Time) ([]paperboy.Vote, error) {
	const q = `SELECT user_id, paper_id, created FROM votes WHERE created >= $1 ORDER BY created, paper_id, user_id`
	rows, err := s.pool.Query(ctx, q, since.Unix())
	if err != nil {
		return nil, dbError("read votes", err)
	}
	defer rows.Close()
	var out []paperboy.Vote
	for rows.Next() {
		var v paperboy.Vote
		var id string
		var created int64
		if err := rows.Scan(&v.UserID, &id, &created); err != nil {
			return nil, dbError("scan vote", err)
		}
		v.PaperID, v.Created = paperboy.ArxivID(id), time.Unix(created, 0).UTC()
		out = append(out, v)
	}
	return out, dbError("read votes", rows.Err())
}

// CreateSubmission stores sub; a paper is submitted once.
func (s *Store) CreateSubmission(ctx context.Context, sub *paperboy.Submission) error {
	const q = `INSERT INTO submissions (paper_id, user_id, comment, created) VALUES ($1, $2, $3, $4)`
	_, err := s.pool.Exec(ctx, q, string(sub.PaperID), sub.UserID, sub.Comment, sub.Created.Unix())
	if isCode(err, codeUniqueViolation) {
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

func scanSubmission(row pgx.Row, extra ...any) (*paperboy.Submission, error) {
	var sub paperboy.Submission
	var u paperboy.User
	var id string
	var created, ucreated int64
	dest := []any{&id, &sub.UserID, &sub.Comment, &created, &u.ID, &u.Email, &u.Name, &u.Admin, &ucreated}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	sub.PaperID = paperboy.ArxivID(id)
	sub.Created, u.Created = time.Unix(created, 0).UTC(), time.Unix(ucreated, 0).UTC()
	sub.Submitter = &u
	return &sub, nil
}

// Submission returns the submission of a paper.
func (s *Store) Submission(ctx context.Context, paperID paperboy.ArxivID) (*paperboy.Submission, error) {
	sub, err := scanSubmission(s.pool.QueryRow(ctx, submissionSelect+` WHERE s.paper_id = $1`, string(paperID)))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s has not been submitted.", paperID)
	}
	return sub, dbError("read submission", err)
}

// Submissions returns the submissions f selects, newest first.
func (s *Store) Submissions(ctx context.Context, f paperboy.SubmissionFilter) ([]*paperboy.Submission, int, error) {
	if f.Limit < 0 || f.Offset < 0 {
		return nil, 0, paperboy.Errorf(paperboy.EINVALID, "Invalid limit %d or offset %d: neither may be negative.", f.Limit, f.Offset)
	}
	where, args := ` WHERE true`, []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(cond, len(args))
	}
	if !f.From.IsZero() {
		add(` AND s.created >= $%d`, f.From.Unix())
	}
	if !f.To.IsZero() {
		add(` AND s.created < $%d`, f.To.Unix())
	}
	if f.UserID != 0 {
		add(` AND s.user_id = $%d`, f.UserID)
	}
	if f.Submitter != "" {
		if id, name := paperboy.ParsePublicName(f.Submitter); id != 0 {
			add(` AND u.id = $%d AND u.name = ''`, id)
		} else {
			add(` AND lower(u.name) = lower($%d)`, name)
		}
	}
	// One statement, one round trip: the window counts the matches
	// before LIMIT (the home page asks twice per view).
	const from = ` FROM submissions s JOIN users u ON u.id = s.user_id`
	q := submissionFields + `, count(*) OVER ()` + from + where +
		fmt.Sprintf(` ORDER BY s.created DESC, s.paper_id LIMIT $%d OFFSET $%d`, len(args)+1, len(args)+2)
	rows, err := s.pool.Query(ctx, q, append(args, limitArg(f.Limit), f.Offset)...)
	if err != nil {
		return nil, 0, dbError("read submissions", err)
	}
	defer rows.Close()
	var out []*paperboy.Submission
	var total int64
	for rows.Next() {
		sub, err := scanSubmission(rows, &total)
		if err != nil {
			return nil, 0, dbError("scan submission", err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil || len(out) > 0 || f.Offset == 0 {
		return out, int(total), dbError("read submissions", err)
	}
	// A page past the last match: count them.
	err = s.pool.QueryRow(ctx, `SELECT count(*)`+from+where, args...).Scan(&total)
	return nil, int(total), dbError("count submissions", err)
}
