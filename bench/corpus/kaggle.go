package corpus

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"

	"paperboy"
)

// kaggleRecord is one line of the Kaggle arxiv-metadata-oai-snapshot dump,
// the format paperboy import reads.
type kaggleRecord struct {
	ID            string          `json:"id"`
	Submitter     string          `json:"submitter"`
	Authors       string          `json:"authors"`
	Title         string          `json:"title"`
	Comments      *string         `json:"comments"`
	JournalRef    *string         `json:"journal-ref"`
	DOI           *string         `json:"doi"`
	ReportNo      *string         `json:"report-no"`
	Categories    string          `json:"categories"`
	License       *string         `json:"license"`
	Abstract      string          `json:"abstract"`
	Versions      []kaggleVersion `json:"versions"`
	UpdateDate    string          `json:"update_date"`
	AuthorsParsed [][]string      `json:"authors_parsed"`
}

type kaggleVersion struct {
	Version string `json:"version"`
	Created string `json:"created"`
}

func kaggle(p *paperboy.Paper) kaggleRecord {
	rec := kaggleRecord{
		ID: string(p.ID), Submitter: p.Submitter, Title: p.Title,
		Categories: strings.Join(p.Categories, " "), Abstract: "  " + p.Abstract + "\n",
		UpdateDate: p.Updated.Format("2006-01-02"),
	}
	names := p.AuthorNames()
	rec.Authors = strings.Join(names, ", ")
	for _, n := range names {
		first, last := splitName(n)
		rec.AuthorsParsed = append(rec.AuthorsParsed, []string{last, first, ""})
	}
	for _, v := range p.Versions {
		rec.Versions = append(rec.Versions, kaggleVersion{fmt.Sprintf("v%d", v.Number), v.Date.Format("Mon, 2 Jan 2006 15:04:05 GMT")})
	}
	return rec
}

// WriteKaggle writes the corpus as Kaggle JSON lines, in document order,
// generating on all CPUs.
func WriteKaggle(w io.Writer, g *Generator) error {
	const batch = 4096
	workers := runtime.GOMAXPROCS(0)
	bw := bufio.NewWriterSize(w, 1<<20)
	bufs := make([][]byte, workers)
	for from := 0; from < g.Len(); from += batch * workers {
		var wg sync.WaitGroup
		for k := range workers {
			wg.Go(func() {
				bufs[k] = bufs[k][:0]
				lo := from + k*batch
				for i := lo; i < min(lo+batch, g.Len()); i++ {
					b, _ := json.Marshal(kaggle(g.Paper(i)))
					bufs[k] = append(append(bufs[k], b...), '\n')
				}
			})
		}
		wg.Wait()
		for _, b := range bufs {
			if _, err := bw.Write(b); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// WriteKaggleFile writes the corpus to path, gzipped when path ends in .gz.
func WriteKaggleFile(path string, g *Generator) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var w io.Writer = f
	var zw *gzip.Writer
	if strings.HasSuffix(path, ".gz") {
		zw, _ = gzip.NewWriterLevel(f, gzip.BestSpeed)
		w = zw
	}
	err = WriteKaggle(w, g)
	if zw != nil && err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
