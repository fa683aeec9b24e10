package arxiv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"

	"paperboy"
)

// DefaultAPIURL is arXiv's search API, which answers id_list lookups.
const DefaultAPIURL = "https://export.arxiv.org/api/query"

// LookupPaper fetches one paper from the arXiv API at base
// (DefaultAPIURL) with ?id_list=ID, through c, so it shares c's politeness:
// one request at a time, MinInterval apart, per-attempt timeouts. Returns
// ENOTFOUND when arXiv has no such paper (its API answers an empty feed, or
// a feed without that ID), EINVALID when the API reports an error for the
// query, EUNAVAILABLE when arXiv cannot be reached.
func (c *Client) LookupPaper(ctx context.Context, base string, id paperboy.ArxivID) (*paperboy.Paper, error) {
	u := base + "?" + url.Values{"id_list": {id.String()}, "max_results": {"1"}}.Encode()
	var found *paperboy.Paper
	err := c.Fetch(ctx, u, nil, func(body []byte) error {
		p, err := findInFeed(body, id)
		found = p
		return err
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "arXiv has no paper %s.", id)
	}
	return found, nil
}

// findInFeed returns the entry of id in an API feed, nil if the feed has
// none. A feed that does not parse is Malformed, so Fetch retries it.
func findInFeed(body []byte, id paperboy.ArxivID) (*paperboy.Paper, error) {
	r := NewAtomReader(bytes.NewReader(body))
	for {
		p, err := r.Next()
		var apiErr *APIError
		var recErr *RecordError
		switch {
		case errors.Is(err, io.EOF):
			return nil, nil
		case errors.As(err, &apiErr):
			return nil, paperboy.Errorf(paperboy.EINVALID, "arXiv refused the lookup of %s: %s", id, apiErr.Message)
		case errors.As(err, &recErr):
			if recErr.ID != "" && bytes.Contains([]byte(recErr.ID), []byte(id.String())) {
				return nil, paperboy.Errorf(paperboy.EUNAVAILABLE, "arXiv's record of %s is incomplete: %v", id, recErr.Err)
			}
		case err != nil:
			return nil, Malformed(fmt.Errorf("arxiv api feed of %d bytes: %w", len(body), err))
		case p.ID == id:
			return p, nil
		}
	}
}
