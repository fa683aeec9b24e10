package postgres

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

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
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, dbError("begin upsert", err)
	}
	defer rollback(ctx, tx)
	outcomes, err := upsertTx(ctx, tx, incoming)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, dbError("commit upsert", err)
	}
	return outcomes, nil
}

// upsertTx merges validated, normalized records into the stored papers
// inside tx, for every method that writes papers. It locks the change
// sequence first, so the merge sees the latest stored papers; the lock
// lasts until tx ends.
func upsertTx(ctx context.Context, tx pgx.Tx, incoming []*paperboy.Paper) ([]paperboy.MergeOutcome, error) {
	seq, err := lockSeq(ctx, tx)
	if err != nil {
		return nil, err
	}
	stored, err := loadByIDs(ctx, tx, rowcodec.BatchIDs(incoming))
	if err != nil {
		return nil, err
	}
	outcomes, dirty := rowcodec.MergeBatch(stored, incoming)
	if len(dirty) == 0 {
		return outcomes, nil
	}
	if err := writePapers(ctx, tx, dirty, seq); err != nil {
		return nil, err
	}
	return outcomes, nil
}

// upsertPapersSQL writes a whole batch in one statement: each argument is
// one column of the batch as an array.
const upsertPapersSQL = `INSERT INTO papers (id, version, title, abstract, authors, primary_category,
	doi, journal_ref, comments, license, report_no, submitter, submitted, updated, seq)
SELECT id, version, title, abstract, authors::jsonb, primary_category,
	doi, journal_ref, comments, license, report_no, submitter, submitted, updated, seq
FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[],
	$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
	$13::timestamptz[], $14::timestamptz[], $15::bigint[])
	AS b(id, version, title, abstract, authors, primary_category,
	doi, journal_ref, comments, license, report_no, submitter, submitted, updated, seq)
ON CONFLICT (id) DO UPDATE SET version = excluded.version, title = excluded.title,
	abstract = excluded.abstract, authors = excluded.authors,
	primary_category = excluded.primary_category, doi = excluded.doi,
	journal_ref = excluded.journal_ref, comments = excluded.comments,
	license = excluded.license, report_no = excluded.report_no,
	submitter = excluded.submitter, submitted = excluded.submitted,
	updated = excluded.updated, seq = excluded.seq`

const (
	deleteTombstonesSQL = `DELETE FROM deleted_papers WHERE id = ANY($1)`
	deleteCategoriesSQL = `DELETE FROM paper_categories WHERE paper_id = ANY($1)`
	deleteVersionsSQL   = `DELETE FROM paper_versions WHERE paper_id = ANY($1)`
	insertCategoriesSQL = `INSERT INTO paper_categories (paper_id, position, category)
	SELECT * FROM unnest($1::text[], $2::int[], $3::text[])`
	insertVersionsSQL = `INSERT INTO paper_versions (paper_id, number, date, size)
	SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::text[])`
)

// paperColumns is a batch of papers by column, for upsertPapersSQL.
type paperColumns struct {
	id, title, abstract, authors, primary, doi, journal, comments, license, reportNo, submitter []string
	version                                                                                     []int32
	submitted, updated                                                                          []pgtype.Timestamptz
	seq                                                                                         []int64
}

func (c *paperColumns) add(p *paperboy.Paper, seq int64) error {
	authors, err := rowcodec.EncodeAuthors(p.Authors)
	if err != nil {
		return err
	}
	c.id = append(c.id, string(p.ID))
	c.version = append(c.version, int32(p.Version))
	c.title, c.abstract, c.authors = append(c.title, p.Title), append(c.abstract, p.Abstract), append(c.authors, authors)
	c.primary, c.doi = append(c.primary, p.PrimaryCategory()), append(c.doi, p.DOI)
	c.journal, c.comments = append(c.journal, p.JournalRef), append(c.comments, p.Comments)
	c.license, c.reportNo = append(c.license, p.License), append(c.reportNo, p.ReportNo)
	c.submitter = append(c.submitter, p.Submitter)
	c.submitted, c.updated = append(c.submitted, timestamptz(p.Submitted)), append(c.updated, timestamptz(p.Updated))
	c.seq = append(c.seq, seq)
	return nil
}

func (c *paperColumns) args() []any {
	return []any{c.id, c.version, c.title, c.abstract, c.authors, c.primary, c.doi, c.journal,
		c.comments, c.license, c.reportNo, c.submitter, c.submitted, c.updated, c.seq}
}

// childRows collects the batch's writes to the tables beside papers.
type childRows struct {
	added, catsReplaced, versionsReplaced []string
	catID, catName                        []string
	catPos                                []int32
	verID, verSize                        []string
	verNum                                []int32
	verDate                               []pgtype.Timestamptz
}

func (r *childRows) add(c rowcodec.Change) {
	p := c.Paper
	if c.Old == nil {
		r.added = append(r.added, string(p.ID))
	}
	if c.Old == nil || !slices.Equal(c.Old.Categories, p.Categories) {
		if c.Old != nil {
			r.catsReplaced = append(r.catsReplaced, string(p.ID))
		}
		for i, cat := range p.Categories {
			r.catID, r.catPos, r.catName = append(r.catID, string(p.ID)), append(r.catPos, int32(i)), append(r.catName, cat)
		}
	}
	if c.Old == nil || !rowcodec.SameVersions(c.Old.Versions, p.Versions) {
		if c.Old != nil {
			r.versionsReplaced = append(r.versionsReplaced, string(p.ID))
		}
		for _, v := range p.Versions {
			r.verID, r.verNum = append(r.verID, string(p.ID)), append(r.verNum, int32(v.Number))
			r.verDate, r.verSize = append(r.verDate, timestamptz(v.Date)), append(r.verSize, v.Size)
		}
	}
}

// queue adds the collected statements to b: deletions first, then
// insertions.
func (r *childRows) queue(b *pgx.Batch) {
	steps := []struct {
		query string
		n     int
		args  []any
	}{
		{deleteTombstonesSQL, len(r.added), []any{r.added}},
		{deleteCategoriesSQL, len(r.catsReplaced), []any{r.catsReplaced}},
		{deleteVersionsSQL, len(r.versionsReplaced), []any{r.versionsReplaced}},
		{insertCategoriesSQL, len(r.catID), []any{r.catID, r.catPos, r.catName}},
		{insertVersionsSQL, len(r.verID), []any{r.verID, r.verNum, r.verDate, r.verSize}},
	}
	for _, st := range steps {
		if st.n > 0 {
			b.Queue(st.query, st.args...)
		}
	}
}

// writePapers writes the changed papers with consecutive sequence numbers
// after seq, their categories and versions, clears the tombstones of papers
// that are back, and advances the sequence: one round trip for the batch.
func writePapers(ctx context.Context, tx pgx.Tx, dirty []rowcodec.Change, seq int64) error {
	var (
		cols     paperColumns
		children childRows
	)
	for _, c := range dirty {
		seq++
		if err := cols.add(c.Paper, seq); err != nil {
			return err
		}
		children.add(c)
	}
	b := &pgx.Batch{}
	b.Queue(upsertPapersSQL, cols.args()...)
	children.queue(b)
	b.Queue(`UPDATE change_seq SET value = $1 WHERE id = 1`, seq)
	return dbError("write papers", tx.SendBatch(ctx, b).Close())
}
