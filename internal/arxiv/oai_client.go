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

// DefaultOAIBaseURL is arXiv's OAI-PMH endpoint.
const DefaultOAIBaseURL = "https://oaipmh.arxiv.org/oai"

// ListRecordsQuery is one ListRecords request: the first page of a window
// (Prefix, Set, From, Until) or, with Token, a later page.
type ListRecordsQuery struct {
	Prefix string // metadataPrefix: arXivRaw, arXiv or oai_dc
	Set    string // "" for every set
	From   string // YYYY-MM-DD, inclusive; "" for none
	Until  string
	Token  string // resumptionToken; the other fields are then not sent
}

// URL returns the request URL on the endpoint base.
func (q ListRecordsQuery) URL(base string) string {
	v := url.Values{"verb": {"ListRecords"}}
	if q.Token != "" {
		v.Set("resumptionToken", q.Token)
	} else {
		v.Set("metadataPrefix", q.Prefix)
		for k, s := range map[string]string{"set": q.Set, "from": q.From, "until": q.Until} {
			if s != "" {
				v.Set(k, s)
			}
		}
	}
	return base + "?" + v.Encode()
}

// OAIPage is one ListRecords response, read whole.
type OAIPage struct {
	Papers []*paperboy.Paper
	// Skipped are the records that are not usable papers, including ones
	// that are not well-formed XML: the parser skips a broken record and
	// reads on.
	Skipped []*RecordError
	Records int // papers and skipped records (deleted ones are not counted)
	// Token is the resumption token of the next page, "" on the last.
	Token string
	// LastDatestamp is the latest record datestamp on the page (records
	// come in identifier order, not by date).
	LastDatestamp string
	NoRecords     bool // the server answered noRecordsMatch
	Bytes         int
}

// ParseOAIPage reads a whole ListRecords response. An OAI-PMH error other
// than noRecordsMatch is returned as the *OAIError; XML that breaks off or
// is not OAI-PMH is a Malformed error, since a page fetched again may be
// whole.
func ParseOAIPage(body []byte) (*OAIPage, error) {
	r := NewOAIReader(bytes.NewReader(body))
	page := &OAIPage{Bytes: len(body)}
	for {
		p, err := r.Next()
		if d := r.Datestamp(); d > page.LastDatestamp {
			page.LastDatestamp = d
		}
		var rerr *RecordError
		var oerr *OAIError
		switch {
		case err == io.EOF:
			page.Token = r.ResumptionToken()
			page.NoRecords = r.OAIError() != nil && r.OAIError().Code == "noRecordsMatch"
			page.Records = len(page.Papers) + len(page.Skipped)
			return page, nil
		case errors.As(err, &rerr):
			page.Skipped = append(page.Skipped, rerr)
		case errors.As(err, &oerr):
			return nil, oerr
		case err != nil:
			return nil, Malformed(fmt.Errorf("oai-pmh page of %d bytes: %w", len(body), err))
		default:
			page.Papers = append(page.Papers, p)
		}
	}
}

// ListRecords fetches one ListRecords page from the endpoint base, retrying
// as Fetch does, and returns it parsed whole. An OAI-PMH error
// (badResumptionToken, badArgument, ...) is returned as *OAIError and is
// not retried; noRecordsMatch is a page with NoRecords set.
func (c *Client) ListRecords(ctx context.Context, base string, q ListRecordsQuery, stats *Stats) (*OAIPage, error) {
	var page *OAIPage
	err := c.Fetch(ctx, q.URL(base), stats, func(body []byte) error {
		var err error
		page, err = ParseOAIPage(body)
		return err
	})
	return page, err
}
