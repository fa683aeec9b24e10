package web

import (
	"context"

	"paperboy"
)

// relatedCount is how many related papers a paper page lists.
const relatedCount = 8

// relatedRow is one entry of a paper page's related papers.
type relatedRow struct {
	URL, ID, Title, Authors, Category string
}

// relatedRows lists the papers most like id, when the searcher finds
// related papers; none otherwise.
func (h *Handler) relatedRows(ctx context.Context, id paperboy.ArxivID) ([]relatedRow, error) {
	rel, ok := h.search.(paperboy.RelatedPapers)
	if !ok {
		return nil, nil
	}
	results, err := rel.Related(ctx, id, relatedCount)
	if err != nil {
		return nil, err
	}
	rows := make([]relatedRow, 0, len(results))
	for _, res := range results {
		c := newCard(res.Paper, noHighlight)
		rows = append(rows, relatedRow{URL: c.URL, ID: c.ID, Title: cleanText(res.Paper.Title), Authors: c.Authors, Category: c.Category})
	}
	return rows, nil
}
