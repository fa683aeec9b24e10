package beir

import (
	"fmt"
	"time"

	"paperboy"
)

// idsPerMonth is how many synthetic arXiv numbers one month has.
const idsPerMonth = 99999

// Papers maps the corpus to papers for a store: each document gets a
// synthetic, valid arXiv ID (2001.00001, 2001.00002, ...), its title, and
// its text as the abstract. It returns the papers and the corpus ID of each
// synthetic ID. A document without a title gets its ID as its title, since
// a paper must have one.
func Papers(corpus []Doc) ([]*paperboy.Paper, map[paperboy.ArxivID]string) {
	papers := make([]*paperboy.Paper, len(corpus))
	back := make(map[paperboy.ArxivID]string, len(corpus))
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, d := range corpus {
		month := i / idsPerMonth
		y, m := 20+month/12, 1+month%12
		id := paperboy.ArxivID(fmt.Sprintf("%02d%02d.%05d", y, m, 1+i%idsPerMonth))
		title := d.Title
		if title == "" {
			title = d.ID
		}
		papers[i] = &paperboy.Paper{
			ID:        id,
			Version:   1,
			Title:     title,
			Abstract:  d.Text,
			Submitted: base.AddDate(0, month, 0),
			Updated:   base.AddDate(0, month, 0),
		}
		back[id] = d.ID
	}
	return papers, back
}
