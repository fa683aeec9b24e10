package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"paperboy"
	"paperboy/internal/store/rowcodec"
)

// paperFields are the columns of a whole paper of "papers p"; categories
// come along as an array and versions as a JSON array, so one query
// returns complete papers.
const paperFields = `SELECT p.id, p.version, p.title, p.abstract, p.authors::text, p.doi,
	p.journal_ref, p.comments, p.license, p.report_no, p.submitter,
	p.submitted, p.updated, p.seq,
	coalesce((SELECT array_agg(category ORDER BY position)
	   FROM paper_categories WHERE paper_id = p.id), '{}'),
	coalesce((SELECT json_agg(json_build_object('n', number, 'd', extract(epoch FROM date)::bigint, 's', size) ORDER BY number)
	   FROM paper_versions WHERE paper_id = p.id)::text, '[]')`

// paperSelect reads whole papers.
const paperSelect = paperFields + `
FROM papers p`

func scanPaper(row pgx.Row, extra ...any) (*paperboy.Paper, error) {
	var (
		p                  paperboy.Paper
		id                 string
		authors, versions  string
		cats               []string
		submitted, updated pgtype.Timestamptz
	)
	dest := []any{&id, &p.Version, &p.Title, &p.Abstract, &authors, &p.DOI,
		&p.JournalRef, &p.Comments, &p.License, &p.ReportNo, &p.Submitter,
		&submitted, &updated, &p.Seq, &cats, &versions}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	p.ID = paperboy.ArxivID(id)
	p.Submitted, p.Updated = timeOf(submitted), timeOf(updated)
	if len(cats) > 0 {
		p.Categories = cats
	}
	var err error
	if p.Authors, err = rowcodec.DecodeAuthors(authors); err != nil {
		return nil, err
	}
	if p.Versions, err = rowcodec.DecodeVersions(versions); err != nil {
		return nil, err
	}
	return &p, nil
}

// queryPapers runs a paperSelect query and scans every row.
func queryPapers(ctx context.Context, q querier, query string, args ...any) ([]*paperboy.Paper, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, dbError("query papers", err)
	}
	defer rows.Close()
	var ps []*paperboy.Paper
	for rows.Next() {
		p, err := scanPaper(rows)
		if err != nil {
			return nil, dbError("scan paper", err)
		}
		ps = append(ps, p)
	}
	return ps, dbError("query papers", rows.Err())
}

// loadByIDs returns the stored papers among ids, keyed by ID, in one query.
func loadByIDs(ctx context.Context, q querier, ids []paperboy.ArxivID) (map[paperboy.ArxivID]*paperboy.Paper, error) {
	m := make(map[paperboy.ArxivID]*paperboy.Paper, len(ids))
	if len(ids) == 0 {
		return m, nil
	}
	ps, err := queryPapers(ctx, q, paperSelect+` WHERE p.id = ANY($1)`, idStrings(ids))
	for _, p := range ps {
		m[p.ID] = p
	}
	return m, err
}

func idStrings(ids []paperboy.ArxivID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// Paper returns the paper with the given ID. Returns ENOTFOUND if there is
// none.
func (s *Store) Paper(ctx context.Context, id paperboy.ArxivID) (*paperboy.Paper, error) {
	p, err := scanPaper(s.pool.QueryRow(ctx, paperSelect+` WHERE p.id = $1`, string(id)))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s not found.", id)
	} else if err != nil {
		return nil, dbError("read paper "+string(id), err)
	}
	return p, nil
}

// Papers returns one page of the papers matching f and the number of all
// matches. Papers picked by IDs come in the order given unless f.Order asks
// for another. Returns EINVALID for an unknown order or a negative limit or
// offset.
func (s *Store) Papers(ctx context.Context, f paperboy.PaperFilter) ([]*paperboy.Paper, int, error) {
	fq, err := buildFilter(f)
	if err != nil {
		return nil, 0, err
	}
	n := len(fq.args)
	page := fmt.Sprintf(` LIMIT $%d OFFSET $%d`, n+1, n+2)
	args := append(fq.args, limitArg(f.Limit), f.Offset)
	// One statement, so one snapshot and one round trip: the window counts
	// the matches before LIMIT, and PostgreSQL runs paperFields'
	// subqueries only for the rows of the page.
	rows, err := s.pool.Query(ctx, paperFields+`, count(*) OVER () FROM papers p`+fq.from+fq.order+page, args...)
	if err != nil {
		return nil, 0, dbError("query papers", err)
	}
	defer rows.Close()
	var ps []*paperboy.Paper
	var total int64
	for rows.Next() {
		p, err := scanPaper(rows, &total)
		if err != nil {
			return nil, 0, dbError("scan paper", err)
		}
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil || len(ps) > 0 || f.Offset == 0 {
		return ps, int(total), dbError("query papers", err)
	}
	// A page past the last match: count them.
	err = s.pool.QueryRow(ctx, `SELECT count(*) FROM papers p`+fq.from, fq.args...).Scan(&total)
	return nil, int(total), dbError("count papers", err)
}

// filterSQL is a PaperFilter as SQL: the joins and WHERE clause to append
// to "FROM papers p", their arguments ($1, $2, ... in order), and the ORDER
// BY clause.
type filterSQL struct {
	from  string
	order string
	args  []any
}

// arg adds a query argument and returns its placeholder.
func (fq *filterSQL) arg(v any) string {
	fq.args = append(fq.args, v)
	return fmt.Sprintf("$%d", len(fq.args))
}

func buildFilter(f paperboy.PaperFilter) (filterSQL, error) {
	if f.Limit < 0 || f.Offset < 0 {
		return filterSQL{}, paperboy.Errorf(paperboy.EINVALID, "Limit and offset must not be negative.")
	}
	var fq filterSQL
	var where []string
	if len(f.IDs) > 0 {
		fq.from = ` JOIN unnest(` + fq.arg(idStrings(rowcodec.UniqueIDs(f.IDs))) + `::text[]) WITH ORDINALITY AS w(id, pos) ON w.id = p.id`
	}
	if !f.SubmittedFrom.IsZero() {
		where = append(where, `p.submitted >= `+fq.arg(f.SubmittedFrom))
	}
	if !f.SubmittedTo.IsZero() {
		where = append(where, `p.submitted < `+fq.arg(f.SubmittedTo))
	}
	if f.Category != "" {
		where = append(where, `p.id IN (SELECT paper_id FROM paper_categories WHERE category = `+fq.arg(f.Category)+`)`)
	}
	if len(where) > 0 {
		fq.from += ` WHERE ` + strings.Join(where, ` AND `)
	}
	switch {
	case f.Order == "" && len(f.IDs) > 0:
		fq.order = ` ORDER BY w.pos`
	case f.Order == "" || f.Order == "submitted":
		fq.order = ` ORDER BY p.submitted DESC NULLS LAST, p.id` // as SQLite sorts NULLs
	case f.Order == "id":
		fq.order = ` ORDER BY p.id`
	default:
		return filterSQL{}, paperboy.Errorf(paperboy.EINVALID, "Unknown order %q: use \"submitted\" or \"id\".", f.Order)
	}
	return fq, nil
}

// limitArg is a limit for SQL, where NULL means no limit.
func limitArg(limit int) any {
	if limit == 0 {
		return nil
	}
	return int64(limit)
}
