package systems

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"paperboy"
	"paperboy/bench/corpus"
	"paperboy/bench/queries"
)

// K is the number of results every system returns.
const K = 10

// System is one search system under test.
type System interface {
	// Build indexes every document of g. It returns the time it spent
	// generating documents, which the caller subtracts from the build time.
	Build(ctx context.Context, g *corpus.Generator) (generating time.Duration, err error)
	// Search returns the IDs of the top K matches of q, best first.
	Search(ctx context.Context, q queries.Query) ([]string, error)
	// Size returns the index's size in bytes and how it was measured.
	Size(ctx context.Context) (int64, string, error)
	Close() error
}

// Names are the systems the benchmark knows, in report order.
var Names = []string{"paperboy", "fts5", "bleve", "postgres"}

// Open returns the named system, keeping its files under dir. dsn is the
// PostgreSQL connection string, used by "postgres" only.
func Open(ctx context.Context, name, dir, dsn string) (System, error) {
	switch name {
	case "paperboy":
		return newPaperboy(filepath.Join(dir, "paperboy")), nil
	case "fts5":
		return openFTS5(ctx, filepath.Join(dir, "fts5.db"))
	case "bleve":
		return openBleve(filepath.Join(dir, "bleve"))
	case "postgres":
		if dsn == "" {
			return nil, fmt.Errorf("postgres: no DSN (-pg)")
		}
		return openPostgres(ctx, dsn)
	}
	return nil, fmt.Errorf("unknown system %q (known: %v)", name, Names)
}

// feed generates the corpus in batches and hands each to index, timing the
// generation apart.
func feed(ctx context.Context, g *corpus.Generator, batch int, index func([]*paperboy.Paper) error) (time.Duration, error) {
	var generating time.Duration
	papers := make([]*paperboy.Paper, 0, batch)
	for from := 0; from < g.Len(); from += batch {
		if err := ctx.Err(); err != nil {
			return generating, err
		}
		began := time.Now()
		papers = papers[:0]
		for i := from; i < min(from+batch, g.Len()); i++ {
			papers = append(papers, g.Paper(i))
		}
		generating += time.Since(began)
		if err := index(papers); err != nil {
			return generating, err
		}
	}
	return generating, nil
}

// dirSize adds up the sizes of the files under path.
func dirSize(path string) (int64, error) {
	var n int64
	err := filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}

func authorLine(p *paperboy.Paper) string {
	s := ""
	for i, a := range p.Authors {
		if i > 0 {
			s += ", "
		}
		s += a.Name
	}
	return s
}
