package arxiv

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"paperboy"
)

// OAIError is an OAI-PMH <error code='...'> response, such as
// badResumptionToken or idDoesNotExist.
type OAIError struct {
	Code    string // the OAI-PMH error code, e.g. "badResumptionToken"
	Message string
}

func (e *OAIError) Error() string {
	return fmt.Sprintf("arxiv: oai-pmh error %s: %s", e.Code, e.Message)
}

// OAIReader reads an OAI-PMH ListRecords or GetRecord response, one <record>
// at a time. Each record's metadata format (arXivRaw, arXiv or oai_dc) is
// told by its namespace, so one reader handles all three.
//
// Deleted records (header status="deleted") are skipped. A ListIdentifiers
// response yields no papers, but Datestamp and ResumptionToken work on it.
//
// Error responses: noRecordsMatch is an empty result, so Next returns io.EOF
// and OAIError reports it; any other OAI-PMH error is returned by Next as a
// fatal *OAIError.
//
// What breakage is recoverable: a record that is well-formed XML but lacks
// an id or title, has an invalid id or unparseable dates, or uses an unknown
// metadata format is a *RecordError and the reader goes on. XML that is not
// well-formed (a truncated response, a bad tag, an undefined entity) stops
// encoding/xml for good, so it is a fatal error naming the record number,
// line and byte offset.
type OAIReader struct {
	dec       *xml.Decoder
	root      bool
	records   int
	datestamp string
	token     string
	oaiErr    *OAIError
	err       error // sticky: io.EOF or a fatal error
}

// NewOAIReader returns a reader for an OAI-PMH response body.
func NewOAIReader(r io.Reader) *OAIReader {
	return &OAIReader{dec: newXMLDecoder(r)}
}

// ResumptionToken returns the token for the next page of a list response:
// valid once Next has returned io.EOF, and "" on the last page.
func (r *OAIReader) ResumptionToken() string { return r.token }

// OAIError returns the OAI-PMH error the response carried, or nil.
func (r *OAIReader) OAIError() *OAIError { return r.oaiErr }

// Datestamp returns the header datestamp of the last record (or header) read,
// as the server wrote it ("2019-10-08"). A harvester checkpoints on it.
func (r *OAIReader) Datestamp() string { return r.datestamp }

// Next returns the next paper; see Reader.
func (r *OAIReader) Next() (*paperboy.Paper, error) {
	for r.err == nil {
		offset := r.dec.InputOffset()
		tok, err := r.dec.Token()
		if err != nil {
			r.err = r.tokenError(err, offset)
			break
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if p, err := r.element(start, offset); p != nil || err != nil {
			return p, err
		}
	}
	return nil, r.err
}

// element handles one start tag below the root. It returns a paper, a
// record error, or neither when the element held no paper.
func (r *OAIReader) element(start xml.StartElement, offset int64) (*paperboy.Paper, error) {
	if !r.root {
		if start.Name.Local != "OAI-PMH" {
			r.err = fmt.Errorf("arxiv: root element <%s> is not <OAI-PMH>: not %s input", start.Name.Local, FormatOAI)
		}
		r.root = true
		return nil, nil
	}
	switch start.Name.Local {
	case "record":
		return r.record(start, offset)
	case "header": // ListIdentifiers
		var h oaiHeader
		r.decode(&h, start, offset)
		r.datestamp = strings.TrimSpace(h.Datestamp)
	case "resumptionToken":
		var tok string
		r.decode(&tok, start, offset)
		r.token = strings.TrimSpace(tok)
	case "error":
		r.oaiError(start, offset)
	}
	return nil, nil
}

func (r *OAIReader) record(start xml.StartElement, offset int64) (*paperboy.Paper, error) {
	r.records++
	line, _ := r.dec.InputPos()
	var rec oaiRecord
	if !r.decode(&rec, start, offset) {
		return nil, nil
	}
	r.datestamp = strings.TrimSpace(rec.Header.Datestamp)
	if rec.Header.Status == "deleted" {
		return nil, nil
	}
	p, err := rec.paper()
	if err != nil {
		id := strings.TrimPrefix(strings.TrimSpace(rec.Header.Identifier), "oai:arXiv.org:")
		return nil, &RecordError{Record: r.records, Line: line, ID: id, Err: err}
	}
	return p, nil
}

func (r *OAIReader) oaiError(start xml.StartElement, offset int64) {
	var e struct {
		Code    string `xml:"code,attr"`
		Message string `xml:",chardata"`
	}
	if !r.decode(&e, start, offset) {
		return
	}
	r.oaiErr = &OAIError{Code: e.Code, Message: clean(e.Message)}
	if e.Code != "noRecordsMatch" {
		r.err = r.oaiErr
	}
}

// decode decodes the element that start opens into v; a failure is fatal.
func (r *OAIReader) decode(v any, start xml.StartElement, offset int64) bool {
	if err := r.dec.DecodeElement(v, &start); err != nil {
		r.err = fmt.Errorf("arxiv: oai-pmh <%s> (record %d, byte %d): %w", start.Name.Local, r.records, offset, err)
		return false
	}
	return true
}

func (r *OAIReader) tokenError(err error, offset int64) error {
	switch {
	case err == io.EOF && !r.root:
		return fmt.Errorf("arxiv: no XML elements: not %s input", FormatOAI)
	case err == io.EOF:
		return io.EOF
	}
	return fmt.Errorf("arxiv: oai-pmh after record %d (byte %d): %w", r.records, offset, err)
}

// newXMLDecoder returns a decoder for arXiv's XML that also accepts the
// non-UTF-8 encodings an XML declaration may name.
func newXMLDecoder(r io.Reader) *xml.Decoder {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unsupported XML encoding %q", label)
		}
		return enc.NewDecoder().Reader(in), nil
	}
	return dec
}
