package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"paperboy"
	"paperboy/internal/store/rowcodec"
)

// CreateComment stores c and sets its ID.
func (s *Store) CreateComment(ctx context.Context, c *paperboy.Comment) error {
	const q = `INSERT INTO comments (paper_id, user_id, body, created) VALUES (?, ?, ?, ?)`
	res, err := s.w.ExecContext(ctx, q, c.PaperID, c.UserID, c.Body, c.Created.Unix())
	if err != nil {
		return notFoundIfFK("insert comment", err, "No such paper or user.")
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return dbError("insert comment", err)
	}
	c.Created = rowcodec.StoreTime(c.Created)
	return nil
}

const commentSelect = `SELECT c.id, c.paper_id, c.user_id, c.body, c.created, c.edited, c.hidden_by,
	u.id, u.email, u.name, u.admin, u.created
	FROM comments c JOIN users u ON u.id = c.user_id`

func scanComment(row scanner) (*paperboy.Comment, error) {
	var c paperboy.Comment
	var u paperboy.User
	var created, ucreated int64
	var edited, hiddenBy sql.NullInt64
	if err := row.Scan(&c.ID, &c.PaperID, &c.UserID, &c.Body, &created, &edited, &hiddenBy,
		&u.ID, &u.Email, &u.Name, &u.Admin, &ucreated); err != nil {
		return nil, err
	}
	c.Created, u.Created = time.Unix(created, 0).UTC(), time.Unix(ucreated, 0).UTC()
	c.Edited = timeOf(edited)
	c.Hidden, c.HiddenBy = hiddenBy.Valid, hiddenBy.Int64
	c.Author = &u
	return &c, nil
}

// Comment returns one comment.
func (s *Store) Comment(ctx context.Context, id int64) (*paperboy.Comment, error) {
	c, err := scanComment(s.r.QueryRowContext(ctx, commentSelect+` WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoComment(id)
	}
	return c, dbError("read comment", err)
}

func errNoComment(id int64) error {
	return paperboy.Errorf(paperboy.ENOTFOUND, "Comment %d not found.", id)
}

// Comments returns a paper's comments, oldest first.
func (s *Store) Comments(ctx context.Context, paperID paperboy.ArxivID) ([]*paperboy.Comment, error) {
	rows, err := s.r.QueryContext(ctx, commentSelect+` WHERE c.paper_id = ? ORDER BY c.id`, paperID)
	if err != nil {
		return nil, dbError("read comments", err)
	}
	defer rows.Close()
	var out []*paperboy.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, dbError("scan comment", err)
		}
		out = append(out, c)
	}
	return out, dbError("read comments", rows.Err())
}

// exec1 runs a statement that must change one row; ENOTFOUND otherwise.
func (s *Store) exec1(ctx context.Context, op string, notFound error, q string, args ...any) error {
	res, err := s.w.ExecContext(ctx, q, args...)
	if err != nil {
		return dbError(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return dbError(op, err)
	}
	if n == 0 {
		return notFound
	}
	return nil
}

// EditComment replaces a comment's body.
func (s *Store) EditComment(ctx context.Context, id int64, body string, edited time.Time) error {
	return s.exec1(ctx, "edit comment", errNoComment(id),
		`UPDATE comments SET body = ?, edited = ? WHERE id = ?`, body, edited.Unix(), id)
}

// HideComment hides or shows a comment.
func (s *Store) HideComment(ctx context.Context, id int64, hidden bool, by int64) error {
	var hiddenBy any
	if hidden {
		hiddenBy = by
	}
	return s.exec1(ctx, "hide comment", errNoComment(id), `UPDATE comments SET hidden_by = ? WHERE id = ?`, hiddenBy, id)
}

// DeleteComment removes a comment.
func (s *Store) DeleteComment(ctx context.Context, id int64) error {
	return s.exec1(ctx, "delete comment", errNoComment(id), `DELETE FROM comments WHERE id = ?`, id)
}

// CommentCounts counts the visible comments of each paper in ids.
func (s *Store) CommentCounts(ctx context.Context, ids []paperboy.ArxivID) (map[paperboy.ArxivID]int, error) {
	out := make(map[paperboy.ArxivID]int)
	if len(ids) == 0 {
		return out, nil
	}
	const q = `SELECT paper_id, count(*) FROM comments
		WHERE paper_id IN (SELECT value FROM json_each(?)) AND hidden_by IS NULL GROUP BY paper_id`
	rows, err := s.r.QueryContext(ctx, q, idList(ids))
	if err != nil {
		return nil, dbError("count comments", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id paperboy.ArxivID
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, dbError("scan comment count", err)
		}
		out[id] = n
	}
	return out, dbError("count comments", rows.Err())
}
