package arxiv

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"paperboy"
)

// Reader yields papers one at a time, so that a multi-gigabyte dump is parsed
// in constant memory.
type Reader interface {
	// Next returns the next paper. At the end it returns io.EOF. For a
	// malformed record it returns a *RecordError: skip it and call Next
	// again. Any other error is fatal (an I/O failure, input that is not
	// this format at all, XML the decoder cannot get past) and Next keeps
	// returning it.
	Next() (*paperboy.Paper, error)
}

// RecordError reports one malformed record. The reader has already moved
// past it.
type RecordError struct {
	Record int    // 1-based position of the record in the input
	Line   int    // line where the record starts
	ID     string // the record's identifier as written, when it has one
	Err    error
}

func (e *RecordError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("record %d (line %d): %v", e.Record, e.Line, e.Err)
	}
	return fmt.Sprintf("record %d (line %d, id %s): %v", e.Record, e.Line, e.ID, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// IsRecordError reports whether err is a *RecordError, that is whether the
// caller may skip the record and go on.
func IsRecordError(err error) bool {
	var re *RecordError
	return errors.As(err, &re)
}

// Format names an input format NewReader recognises.
type Format string

const (
	FormatKaggle Format = "kaggle-json" // Kaggle arxiv-metadata-oai-snapshot JSON lines
	FormatOAI    Format = "oai-pmh"     // OAI-PMH ListRecords/GetRecord response
	FormatAtom   Format = "atom"        // arXiv API (export.arxiv.org/api/query) feed
)

// sniffSize is how much of the input NewReader looks at to tell the formats
// apart.
const sniffSize = 8 << 10

// NewReader detects the format of r (gunzipping it first when it starts with
// the gzip magic bytes) and returns a Reader for it. A leading byte order
// mark and white space are skipped; '{' means Kaggle JSON lines, and an XML
// document whose first few kilobytes hold <OAI-PMH or <feed means OAI-PMH or
// Atom. Anything else is an error.
func NewReader(r io.Reader) (Reader, Format, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	magic, _ := br.Peek(2)
	if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, "", fmt.Errorf("arxiv: gunzip: %w", err)
		}
		br = bufio.NewReaderSize(zr, sniffSize)
	}
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", fmt.Errorf("arxiv: read: %w", err)
	}
	if bytes.HasPrefix(head, utf8BOM) {
		br.Discard(len(utf8BOM))
		head = head[len(utf8BOM):]
	}
	switch f := sniff(head); f {
	case FormatKaggle:
		return NewKaggleReader(br), f, nil
	case FormatOAI:
		return NewOAIReader(br), f, nil
	case FormatAtom:
		return NewAtomReader(br), f, nil
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, "", fmt.Errorf("arxiv: input is empty")
	}
	return nil, "", fmt.Errorf("arxiv: input is none of %s, %s, %s (it starts %q)",
		FormatKaggle, FormatOAI, FormatAtom, firstBytes(head, 40))
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func sniff(head []byte) Format {
	head = bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(head) == 0:
		return ""
	case head[0] == '{':
		return FormatKaggle
	case head[0] != '<':
		return ""
	}
	oai := bytes.Index(head, []byte("<OAI-PMH"))
	feed := bytes.Index(head, []byte("<feed"))
	switch {
	case oai >= 0 && (feed < 0 || oai < feed):
		return FormatOAI
	case feed >= 0:
		return FormatAtom
	}
	return ""
}

func firstBytes(b []byte, n int) []byte {
	b = bytes.TrimSpace(b)
	if len(b) > n {
		return b[:n]
	}
	return b
}
