package arxiv

import (
	"encoding/xml"
	"fmt"
	"io"

	"golang.org/x/text/encoding/htmlindex"

	"paperboy"
)

// xmlStream is the token loop the XML readers share: it walks start tags
// below a checked root element, hands each to the reader, and keeps the
// first fatal error (or io.EOF) for every later call.
type xmlStream struct {
	dec    *xml.Decoder
	format Format
	root   string // the required root element, e.g. "OAI-PMH"
	label  string // "oai-pmh" or "atom", in error messages
	unit   string // "record" or "entry", in error messages
	units  int    // units started so far
	inRoot bool
	err    error
}

func newXMLStream(r io.Reader, format Format, root, label, unit string) xmlStream {
	return xmlStream{dec: newXMLDecoder(r), format: format, root: root, label: label, unit: unit}
}

// next returns the first paper or error that element produces for a start
// tag below the root.
func (s *xmlStream) next(element func(xml.StartElement, int64) (*paperboy.Paper, error)) (*paperboy.Paper, error) {
	for s.err == nil {
		offset := s.dec.InputOffset()
		tok, err := s.dec.Token()
		if err != nil {
			s.err = s.tokenError(err, offset)
			break
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !s.inRoot {
			if start.Name.Local != s.root {
				s.err = fmt.Errorf("arxiv: root element <%s> is not <%s>: not %s input", start.Name.Local, s.root, s.format)
			}
			s.inRoot = true
			continue
		}
		if p, err := element(start, offset); p != nil || err != nil {
			return p, err
		}
	}
	return nil, s.err
}

// decode decodes the element that start opens into v; a failure is fatal.
func (s *xmlStream) decode(v any, start xml.StartElement, offset int64) bool {
	if err := s.dec.DecodeElement(v, &start); err != nil {
		s.err = fmt.Errorf("arxiv: %s <%s> (%s %d, byte %d): %w", s.label, start.Name.Local, s.unit, s.units, offset, err)
		return false
	}
	return true
}

func (s *xmlStream) tokenError(err error, offset int64) error {
	switch {
	case err == io.EOF && !s.inRoot:
		return fmt.Errorf("arxiv: no XML elements: not %s input", s.format)
	case err == io.EOF:
		return io.EOF
	}
	return fmt.Errorf("arxiv: %s after %s %d (byte %d): %w", s.label, s.unit, s.units, offset, err)
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
