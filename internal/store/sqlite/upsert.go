package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"paperboy"
)

// UpsertPapers merges each record into the stored paper with
// paperboy.MergePaper and writes the papers that changed, each with a new
// Seq, in one transaction. A paper named twice in papers has the second
// record merged into the result of the first. Returns EINVALID, naming the
// record, if any record is invalid; nothing is written then.
func (s *Store) UpsertPapers(ctx context.Context, papers []*paperboy.Paper) ([]paperboy.MergeOutcome, error) {
	incoming, err := validate(papers)
	if err != nil || len(papers) == 0 {
		return nil, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, dbError("begin upsert", err)
	}
	defer rollback(tx)
	stored, err := loadByIDs(ctx, tx, batchIDs(incoming))
	if err != nil {
		return nil, err
	}
	outcomes, dirty := mergeBatch(stored, incoming)
	if err := writePapers(ctx, tx, dirty); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, dbError("commit upsert", err)
	}
	return outcomes, nil
}

// validate checks every record before anything is written and returns the
// records in the store's time precision.
func validate(papers []*paperboy.Paper) ([]*paperboy.Paper, error) {
	out := make([]*paperboy.Paper, len(papers))
	for i, p := range papers {
		if p == nil {
			return nil, paperboy.Errorf(paperboy.EINVALID, "Record %d of the batch is empty.", i+1)
		}
		if err := p.Validate(); err != nil {
			return nil, err
		}
		out[i] = normalize(p)
	}
	return out, nil
}

func batchIDs(papers []*paperboy.Paper) []paperboy.ArxivID {
	ids := make([]paperboy.ArxivID, len(papers))
	for i, p := range papers {
		ids[i] = p.ID
	}
	return uniqueIDs(ids)
}

// change is a paper to write: its merged state and whether a row for it
// existed before the batch.
type change struct {
	paper  *paperboy.Paper
	exists bool
}

// mergeBatch merges the records in order into stored, which it does not
// modify, and returns each record's outcome and the papers to write, in the
// order they first changed.
func mergeBatch(stored map[paperboy.ArxivID]*paperboy.Paper, incoming []*paperboy.Paper) ([]paperboy.MergeOutcome, []change) {
	outcomes := make([]paperboy.MergeOutcome, len(incoming))
	current := make(map[paperboy.ArxivID]*paperboy.Paper, len(incoming))
	pos := make(map[paperboy.ArxivID]int)
	var dirty []change
	for i, in := range incoming {
		old, ok := current[in.ID]
		if !ok {
			old = stored[in.ID]
		}
		merged, outcome := paperboy.MergePaper(old, in)
		outcomes[i], current[in.ID] = outcome, merged
		if outcome == paperboy.Unchanged {
			continue
		}
		if j, ok := pos[in.ID]; ok {
			dirty[j].paper = merged
			continue
		}
		pos[in.ID] = len(dirty)
		dirty = append(dirty, change{paper: merged, exists: stored[in.ID] != nil})
	}
	return outcomes, dirty
}

const (
	upsertPaperSQL = `INSERT INTO papers (id, version, title, abstract, authors, primary_category,
	doi, journal_ref, comments, license, report_no, submitter, submitted, updated, seq)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET version = excluded.version, title = excluded.title,
	abstract = excluded.abstract, authors = excluded.authors,
	primary_category = excluded.primary_category, doi = excluded.doi,
	journal_ref = excluded.journal_ref, comments = excluded.comments,
	license = excluded.license, report_no = excluded.report_no,
	submitter = excluded.submitter, submitted = excluded.submitted,
	updated = excluded.updated, seq = excluded.seq`
	deleteCategoriesSQL = `DELETE FROM paper_categories WHERE paper_id = ?`
	deleteVersionsSQL   = `DELETE FROM paper_versions WHERE paper_id = ?`
	insertCategorySQL   = `INSERT INTO paper_categories (paper_id, position, category) VALUES (?, ?, ?)`
	insertVersionSQL    = `INSERT INTO paper_versions (paper_id, number, date, size) VALUES (?, ?, ?, ?)`
)

// writePapers writes the changed papers with consecutive new sequence
// numbers and clears any tombstones of papers that are back.
func writePapers(ctx context.Context, tx *sql.Tx, dirty []change) error {
	if len(dirty) == 0 {
		return nil
	}
	seq, err := lastSeq(ctx, tx)
	if err != nil {
		return err
	}
	w, err := prepareWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.close()
	var added []paperboy.ArxivID
	for _, c := range dirty {
		seq++
		if err := w.write(ctx, c, seq); err != nil {
			return dbError("write paper "+string(c.paper.ID), err)
		}
		if !c.exists {
			added = append(added, c.paper.ID)
		}
	}
	if err := clearTombstones(ctx, tx, added); err != nil {
		return err
	}
	return setLastSeq(ctx, tx, seq)
}

// paperWriter holds the statements that write one paper, prepared once per
// batch.
type paperWriter struct {
	paper, delCats, delVersions, cat, version *sql.Stmt
}

func prepareWriter(ctx context.Context, tx *sql.Tx) (*paperWriter, error) {
	w := &paperWriter{}
	stmts := []struct {
		dst   **sql.Stmt
		query string
	}{
		{&w.paper, upsertPaperSQL}, {&w.delCats, deleteCategoriesSQL}, {&w.delVersions, deleteVersionsSQL},
		{&w.cat, insertCategorySQL}, {&w.version, insertVersionSQL},
	}
	for _, st := range stmts {
		var err error
		if *st.dst, err = tx.PrepareContext(ctx, st.query); err != nil {
			w.close()
			return nil, dbError("prepare upsert", err)
		}
	}
	return w, nil
}

func (w *paperWriter) close() {
	for _, st := range []*sql.Stmt{w.paper, w.delCats, w.delVersions, w.cat, w.version} {
		if st != nil {
			st.Close()
		}
	}
}

func (w *paperWriter) write(ctx context.Context, c change, seq int64) error {
	p := c.paper
	authors, err := encodeAuthors(p.Authors)
	if err != nil {
		return err
	}
	_, err = w.paper.ExecContext(ctx, p.ID, p.Version, p.Title, p.Abstract, authors, p.PrimaryCategory(),
		p.DOI, p.JournalRef, p.Comments, p.License, p.ReportNo, p.Submitter,
		unixOrNil(p.Submitted), unixOrNil(p.Updated), seq)
	if err != nil {
		return err
	}
	if c.exists {
		if err := w.clearChildren(ctx, p.ID); err != nil {
			return err
		}
	}
	for i, cat := range p.Categories {
		if _, err := w.cat.ExecContext(ctx, p.ID, i, cat); err != nil {
			return err
		}
	}
	for _, v := range p.Versions {
		if _, err := w.version.ExecContext(ctx, p.ID, v.Number, unixOrNil(v.Date), v.Size); err != nil {
			return err
		}
	}
	return nil
}

func (w *paperWriter) clearChildren(ctx context.Context, id paperboy.ArxivID) error {
	if _, err := w.delCats.ExecContext(ctx, id); err != nil {
		return err
	}
	_, err := w.delVersions.ExecContext(ctx, id)
	return err
}

func clearTombstones(ctx context.Context, tx *sql.Tx, ids []paperboy.ArxivID) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM deleted_papers WHERE id IN (SELECT value FROM json_each(?))`, string(list))
	return dbError("clear tombstones", err)
}
