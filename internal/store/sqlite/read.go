package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"paperboy"
	"paperboy/internal/store/rowcodec"
)

// paperSelect reads whole papers from "papers p"; categories and versions
// come along as JSON arrays so one query returns complete papers.
const paperSelect = `SELECT p.id, p.version, p.title, p.abstract, p.authors, p.doi,
	p.journal_ref, p.comments, p.license, p.report_no, p.submitter,
	p.submitted, p.updated, p.seq,
	(SELECT json_group_array(category ORDER BY position)
	   FROM paper_categories WHERE paper_id = p.id),
	(SELECT json_group_array(json_object('n', number, 'd', date, 's', size) ORDER BY number)
	   FROM paper_versions WHERE paper_id = p.id)
FROM papers p`

type scanner interface{ Scan(dest ...any) error }

func scanPaper(row scanner) (*paperboy.Paper, error) {
	var (
		p                       paperboy.Paper
		authors, cats, versions string
		submitted, updated      sql.NullInt64
	)
	err := row.Scan(&p.ID, &p.Version, &p.Title, &p.Abstract, &authors, &p.DOI,
		&p.JournalRef, &p.Comments, &p.License, &p.ReportNo, &p.Submitter,
		&submitted, &updated, &p.Seq, &cats, &versions)
	if err != nil {
		return nil, err
	}
	p.Submitted, p.Updated = timeOf(submitted), timeOf(updated)
	if p.Authors, err = rowcodec.DecodeAuthors(authors); err != nil {
		return nil, err
	}
	if p.Categories, err = rowcodec.DecodeCategories(cats); err != nil {
		return nil, err
	}
	if p.Versions, err = rowcodec.DecodeVersions(versions); err != nil {
		return nil, err
	}
	return &p, nil
}

// queryPapers runs a paperSelect query and scans every row.
func queryPapers(ctx context.Context, q querier, query string, args ...any) ([]*paperboy.Paper, error) {
	rows, err := q.QueryContext(ctx, query, args...)
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
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	ps, err := queryPapers(ctx, q, paperSelect+` WHERE p.id IN (SELECT value FROM json_each(?))`, string(list))
	for _, p := range ps {
		m[p.ID] = p
	}
	return m, err
}

// Paper returns the paper with the given ID. Returns ENOTFOUND if there is
// none.
func (s *Store) Paper(ctx context.Context, id paperboy.ArxivID) (*paperboy.Paper, error) {
	p, err := scanPaper(s.r.QueryRowContext(ctx, paperSelect+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
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
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, dbError("begin read", err)
	}
	defer rollback(tx)
	args := append(fq.args, limitArg(f.Limit), f.Offset)
	ps, err := queryPapers(ctx, tx, paperSelect+fq.from+fq.order+` LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	if total, ok := pageTotal(f, len(ps)); ok {
		return ps, total, nil
	}
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM papers p`+fq.from, fq.args...).Scan(&total); err != nil {
		return nil, 0, dbError("count papers", err)
	}
	return ps, total, nil
}

// pageTotal is the number of matches a page of n papers shows, when it
// shows it: a page short of its limit, or with none, holds the last
// match, unless it is empty past the start (the matches may end anywhere
// before the offset). A search page's papers, picked by IDs without a
// limit, never need a count.
func pageTotal(f paperboy.PaperFilter, n int) (int, bool) {
	short := f.Limit == 0 || n < f.Limit
	return f.Offset + n, short && (n > 0 || f.Offset == 0)
}

// filterSQL is a PaperFilter as SQL: the joins and WHERE clause to append
// to "FROM papers p", their arguments, and the ORDER BY clause.
type filterSQL struct {
	from  string
	order string
	args  []any
}

func buildFilter(f paperboy.PaperFilter) (filterSQL, error) {
	if f.Limit < 0 || f.Offset < 0 {
		return filterSQL{}, paperboy.Errorf(paperboy.EINVALID, "Limit and offset must not be negative.")
	}
	var fq filterSQL
	var where []string
	if len(f.IDs) > 0 {
		list, err := json.Marshal(rowcodec.UniqueIDs(f.IDs))
		if err != nil {
			return filterSQL{}, err
		}
		fq.from = ` JOIN json_each(?) AS w ON w.value = p.id`
		fq.args = append(fq.args, string(list))
	}
	if !f.SubmittedFrom.IsZero() {
		where = append(where, `p.submitted >= ?`)
		fq.args = append(fq.args, f.SubmittedFrom.Unix())
	}
	if !f.SubmittedTo.IsZero() {
		where = append(where, `p.submitted < ?`)
		fq.args = append(fq.args, f.SubmittedTo.Unix())
	}
	if f.Category != "" {
		where = append(where, `p.id IN (SELECT paper_id FROM paper_categories WHERE category = ?)`)
		fq.args = append(fq.args, f.Category)
	}
	if len(where) > 0 {
		fq.from += ` WHERE ` + strings.Join(where, ` AND `)
	}
	switch {
	case f.Order == "" && len(f.IDs) > 0:
		fq.order = ` ORDER BY w.key`
	case f.Order == "" || f.Order == "submitted":
		fq.order = ` ORDER BY p.submitted DESC, p.id`
	case f.Order == "id":
		fq.order = ` ORDER BY p.id`
	default:
		return filterSQL{}, paperboy.Errorf(paperboy.EINVALID, "Unknown order %q: use \"submitted\" or \"id\".", f.Order)
	}
	return fq, nil
}

// limitArg is f.Limit for SQL, where -1 means no limit.
func limitArg(limit int) int {
	if limit == 0 {
		return -1
	}
	return limit
}
