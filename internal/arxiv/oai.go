package arxiv

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

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
// What breakage is recoverable: a record that lacks an id or title, has an
// invalid id or unparseable dates, or uses an unknown metadata format is a
// *RecordError and the reader goes on; so is a record that is not
// well-formed XML (a bad tag, an undefined entity), after which reading
// resumes at the next record. A response that ends inside the document (a
// truncated one) is a fatal error naming the record number, line and byte
// offset.
type OAIReader struct {
	xmlStream
	datestamp string
	token     string
	oaiErr    *OAIError
}

// NewOAIReader returns a reader for an OAI-PMH response body.
func NewOAIReader(r io.Reader) *OAIReader {
	return &OAIReader{xmlStream: newXMLStream(r, FormatOAI, "OAI-PMH", "oai-pmh", "record", "resumptionToken")}
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
func (r *OAIReader) Next() (*paperboy.Paper, error) { return r.next(r.element) }

// element handles one start tag below the root. It returns a paper, a
// record error, or neither when the element held no paper.
func (r *OAIReader) element(start xml.StartElement, offset int64) (*paperboy.Paper, error) {
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
	r.units++
	line := r.line()
	var rec oaiRecord
	if ok, broken := r.decodeUnit(&rec, start, offset, line); !ok {
		return nil, broken
	}
	r.datestamp = strings.TrimSpace(rec.Header.Datestamp)
	if rec.Header.Status == "deleted" {
		return nil, nil
	}
	p, err := rec.paper()
	if err != nil {
		id := strings.TrimPrefix(strings.TrimSpace(rec.Header.Identifier), "oai:arXiv.org:")
		return nil, &RecordError{Record: r.units, Line: line, ID: id, Err: err}
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
