package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"

	"paperboy"
	"paperboy/internal/store/rowcodec"
)

// UpsertPapers merges each record into the stored paper with
// paperboy.MergePaper and writes the papers that changed, each with a new
// Seq, in one transaction. A paper named twice in papers has the second
// record merged into the result of the first. Returns EINVALID, naming the
// record, if any record is invalid; nothing is written then.
func (s *Store) UpsertPapers(ctx context.Context, papers []*paperboy.Paper) ([]paperboy.MergeOutcome, error) {
	incoming, err := rowcodec.ValidateBatch(papers)
	if err != nil || len(papers) == 0 {
		return nil, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, dbError("begin upsert", err)
	}
	defer rollback(tx)
	outcomes, err := upsertTx(ctx, tx, incoming)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, dbError("commit upsert", err)
	}
	return outcomes, nil
}

// upsertTx merges validated, normalized records into the stored papers
// inside tx, for every method that writes papers with something else.
func upsertTx(ctx context.Context, tx *sql.Tx, incoming []*paperboy.Paper) ([]paperboy.MergeOutcome, error) {
	stored, err := loadByIDs(ctx, tx, rowcodec.BatchIDs(incoming))
	if err != nil {
		return nil, err
	}
	outcomes, dirty := rowcodec.MergeBatch(stored, incoming)
	if err := writePapers(ctx, tx, dirty); err != nil {
		return nil, err
	}
	return outcomes, nil
}

const upsertPaperSQL = `INSERT INTO papers (id, version, title, abstract, authors, primary_category,
	doi, journal_ref, comments, license, report_no, submitter, submitted, updated, seq)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET version = excluded.version, title = excluded.title,
	abstract = excluded.abstract, authors = excluded.authors,
	primary_category = excluded.primary_category, doi = excluded.doi,
	journal_ref = excluded.journal_ref, comments = excluded.comments,
	license = excluded.license, report_no = excluded.report_no,
	submitter = excluded.submitter, submitted = excluded.submitted,
	updated = excluded.updated, seq = excluded.seq`

// Child rows are written for the whole batch at once: their rows travel as
// one JSON array, which is much cheaper than a statement per row.
const (
	deleteCategoriesSQL = `DELETE FROM paper_categories WHERE paper_id IN (SELECT value FROM json_each(?))`
	deleteVersionsSQL   = `DELETE FROM paper_versions WHERE paper_id IN (SELECT value FROM json_each(?))`
	deleteTombstonesSQL = `DELETE FROM deleted_papers WHERE id IN (SELECT value FROM json_each(?))`
	insertCategoriesSQL = `INSERT INTO paper_categories (paper_id, position, category)
	SELECT value->>0, value->>1, value->>2 FROM jsonb_each(?)`
	insertVersionsSQL = `INSERT INTO paper_versions (paper_id, number, date, size)
	SELECT value->>0, value->>1, value->>2, value->>3 FROM jsonb_each(?)`
)

// childRows collects the batch's writes to the tables beside papers.
type childRows struct {
	added, catsReplaced, versionsReplaced []paperboy.ArxivID
	cats, versions                        [][]any
}

func (r *childRows) add(c rowcodec.Change) {
	p := c.Paper
	if c.Old == nil {
		r.added = append(r.added, p.ID)
	}
	if c.Old == nil || !slices.Equal(c.Old.Categories, p.Categories) {
		if c.Old != nil {
			r.catsReplaced = append(r.catsReplaced, p.ID)
		}
		for i, cat := range p.Categories {
			r.cats = append(r.cats, []any{p.ID, i, cat})
		}
	}
	if c.Old == nil || !rowcodec.SameVersions(c.Old.Versions, p.Versions) {
		if c.Old != nil {
			r.versionsReplaced = append(r.versionsReplaced, p.ID)
		}
		for _, v := range p.Versions {
			r.versions = append(r.versions, []any{p.ID, v.Number, unixOrNil(v.Date), v.Size})
		}
	}
}

// write runs the collected statements: deletions first, then insertions.
func (r *childRows) write(ctx context.Context, tx *sql.Tx) error {
	steps := []struct {
		query string
		rows  any
		n     int
	}{
		{deleteTombstonesSQL, r.added, len(r.added)},
		{deleteCategoriesSQL, r.catsReplaced, len(r.catsReplaced)},
		{deleteVersionsSQL, r.versionsReplaced, len(r.versionsReplaced)},
		{insertCategoriesSQL, r.cats, len(r.cats)},
		{insertVersionsSQL, r.versions, len(r.versions)},
	}
	for _, st := range steps {
		if st.n == 0 {
			continue
		}
		list, err := json.Marshal(st.rows)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, st.query, string(list)); err != nil {
			return dbError("write paper details", err)
		}
	}
	return nil
}

// writePapers writes the changed papers with consecutive new sequence
// numbers, their categories and versions, and clears the tombstones of
// papers that are back.
func writePapers(ctx context.Context, tx *sql.Tx, dirty []rowcodec.Change) error {
	if len(dirty) == 0 {
		return nil
	}
	seq, err := lastSeq(ctx, tx)
	if err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, upsertPaperSQL)
	if err != nil {
		return dbError("prepare upsert", err)
	}
	defer stmt.Close()
	var children childRows
	for _, c := range dirty {
		seq++
		if err := writePaper(ctx, stmt, c.Paper, seq); err != nil {
			return dbError("write paper "+string(c.Paper.ID), err)
		}
		children.add(c)
	}
	if err := children.write(ctx, tx); err != nil {
		return err
	}
	return setLastSeq(ctx, tx, seq)
}

func writePaper(ctx context.Context, stmt *sql.Stmt, p *paperboy.Paper, seq int64) error {
	authors, err := rowcodec.EncodeAuthors(p.Authors)
	if err != nil {
		return err
	}
	_, err = stmt.ExecContext(ctx, p.ID, p.Version, p.Title, p.Abstract, authors, p.PrimaryCategory(),
		p.DOI, p.JournalRef, p.Comments, p.License, p.ReportNo, p.Submitter,
		unixOrNil(p.Submitted), unixOrNil(p.Updated), seq)
	return err
}
