package arxiv

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"golang.org/x/text/encoding/htmlindex"

	"paperboy"
)

// xmlStream is the token loop the XML readers share: it walks start tags
// below a checked root element, hands each to the reader, and keeps the
// first fatal error (or io.EOF) for every later call.
//
// A unit (an OAI-PMH <record>, an Atom <entry>) that is not well-formed XML
// (a mismatched tag, an undefined entity, invalid UTF-8) stops
// encoding/xml for good, so the stream resumes by hand: it scans the raw
// input for the next unit (or, for OAI-PMH, the resumptionToken), starts a
// new decoder there behind a copy of the enclosing start tags (so that
// namespaces resolve as before), and reports the broken unit as a
// *RecordError. Input that ends inside the document (a truncated response)
// stays fatal, and so does input read through a non-UTF-8 charset
// conversion, whose decoder positions do not map back onto the input.
type xmlStream struct {
	src    *bufio.Reader // the input; decoders read it byte by byte
	dec    *xml.Decoder
	format Format
	root   string   // the required root element, e.g. "OAI-PMH"
	label  string   // "oai-pmh" or "atom", in error messages
	unit   string   // "record" or "entry", in error messages
	resync []string // elements reading may resume at after a broken unit
	units  int      // units started so far
	inRoot bool
	err    error

	open     []xml.StartElement // elements open around the current token, root first
	consumed bool               // the element handler decoded the start tag it was given
	charset  bool               // the decoder reads through a charset conversion
	broken   error              // a broken unit, for Next to return
	// Position of the current decoder's input in the whole input: it
	// starts with prelude bytes that are not in the input, at line
	// lineBase, byte offsetBase.
	lineBase, offsetBase int64
	prelude              int64
}

func newXMLStream(r io.Reader, format Format, root, label, unit string, resync ...string) xmlStream {
	src, ok := r.(*bufio.Reader)
	if !ok {
		src = bufio.NewReader(r)
	}
	return xmlStream{src: src, format: format, root: root, label: label, unit: unit,
		resync: append([]string{unit}, resync...), lineBase: 1}
}

// start creates the first decoder; s must not move after this.
func (s *xmlStream) start() {
	s.dec = s.newDecoder(s.src)
}

func (s *xmlStream) newDecoder(r io.Reader) *xml.Decoder {
	dec := newXMLDecoder(r)
	charset := dec.CharsetReader
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		s.charset = true
		return charset(label, in)
	}
	return dec
}

// line is the input line the decoder is at.
func (s *xmlStream) line() int {
	line, _ := s.dec.InputPos()
	return int(s.lineBase) + line - 1
}

// offset is the input byte offset the decoder is at.
func (s *xmlStream) offset() int64 {
	return s.offsetBase + s.dec.InputOffset() - s.prelude
}

// next returns the first paper or error that element produces for a start
// tag below the root.
func (s *xmlStream) next(element func(xml.StartElement, int64) (*paperboy.Paper, error)) (*paperboy.Paper, error) {
	if s.dec == nil {
		s.start()
	}
	for s.err == nil {
		offset := s.offset()
		tok, err := s.dec.Token()
		if err != nil {
			s.err = s.tokenError(err, offset)
			break
		}
		if _, ok := tok.(xml.EndElement); ok && len(s.open) > 0 {
			s.open = s.open[:len(s.open)-1]
			continue
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
			s.open = append(s.open, start.Copy())
			continue
		}
		s.consumed = false
		p, err := element(start, offset)
		if !s.consumed {
			s.open = append(s.open, start.Copy())
		}
		if p != nil || err != nil {
			return p, err
		}
	}
	return nil, s.err
}

// decode decodes the element that start opens into v; a failure is fatal.
func (s *xmlStream) decode(v any, start xml.StartElement, offset int64) bool {
	s.consumed = true
	if err := s.dec.DecodeElement(v, &start); err != nil {
		s.fail(start, offset, err)
		return false
	}
	return true
}

// fail keeps the fatal error of decoding the element start opens.
func (s *xmlStream) fail(start xml.StartElement, offset int64, err error) {
	s.err = fmt.Errorf("arxiv: %s <%s> (%s %d, byte %d): %w", s.label, start.Name.Local, s.unit, s.units, offset, s.absolute(err))
}

// decodeUnit decodes a unit that starts at line. When the unit is not
// well-formed XML but the input goes on, it returns false with the broken
// unit to report (a *RecordError) and the stream resumed after it;
// otherwise a failure is fatal, as in decode, and the error is nil.
func (s *xmlStream) decodeUnit(v any, start xml.StartElement, offset int64, line int) (bool, error) {
	s.consumed = true
	err := s.dec.DecodeElement(v, &start)
	if err == nil {
		return true, nil
	}
	var serr *xml.SyntaxError
	if !errors.As(err, &serr) || serr.Msg == "unexpected EOF" || s.charset {
		s.fail(start, offset, err)
		return false, nil
	}
	broken := &RecordError{Record: s.units, Line: line, Err: fmt.Errorf("malformed XML: %w", s.absolute(err))}
	if err := s.resume(); err != nil {
		s.err = err
		if err != io.EOF {
			return false, nil
		}
	}
	return false, broken
}

// absolute gives a syntax error the line in the whole input.
func (s *xmlStream) absolute(err error) error {
	var serr *xml.SyntaxError
	if errors.As(err, &serr) && s.lineBase != 1 {
		return &xml.SyntaxError{Msg: serr.Msg, Line: int(s.lineBase) + serr.Line - 1}
	}
	return err
}

// resume skips the raw input to the next resync element and starts a new
// decoder there. It returns io.EOF when the root element closes first, and
// a fatal error when the input ends inside the document.
func (s *xmlStream) resume() error {
	line, offset := int64(s.line()), s.offset()
	closing := "/" + s.root
	for {
		b, err := s.src.ReadByte()
		if err == io.EOF {
			return fmt.Errorf("arxiv: %s input ends inside <%s> after a malformed %s (%s %d, byte %d): truncated", s.label, s.root, s.unit, s.unit, s.units, offset)
		} else if err != nil {
			return fmt.Errorf("arxiv: read: %w", err)
		}
		offset++
		if b == '\n' {
			line++
		}
		if b != '<' {
			continue
		}
		if s.peekName(closing) {
			return io.EOF
		}
		for _, name := range s.resync {
			if !s.peekName(name) {
				continue
			}
			var pre bytes.Buffer
			for _, el := range s.open {
				writeStartTag(&pre, el)
			}
			pre.WriteByte('<')
			s.prelude = int64(pre.Len())
			s.lineBase, s.offsetBase = line, offset-1
			s.open = s.open[:0]
			s.dec = s.newDecoder(&prefixReader{prefix: pre.Bytes(), r: s.src})
			return nil
		}
	}
}

// peekName reports whether the input goes on with name followed by the end
// of a tag name.
func (s *xmlStream) peekName(name string) bool {
	b, _ := s.src.Peek(len(name) + 1)
	if len(b) < len(name)+1 || string(b[:len(name)]) != name {
		return false
	}
	switch b[len(name)] {
	case ' ', '\t', '\r', '\n', '>', '/':
		return true
	}
	return false
}

// writeStartTag writes el as a start tag with its namespace declarations
// (the only attributes that matter to what follows it).
func writeStartTag(w *bytes.Buffer, el xml.StartElement) {
	w.WriteString("<" + el.Name.Local)
	for _, a := range el.Attr {
		switch {
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			w.WriteString(` xmlns="`)
		case a.Name.Space == "xmlns":
			w.WriteString(" xmlns:" + a.Name.Local + `="`)
		default:
			continue
		}
		xml.EscapeText(w, []byte(a.Value))
		w.WriteByte('"')
	}
	w.WriteByte('>')
}

// prefixReader reads prefix, then r; it is an io.ByteReader, so a decoder
// reading it takes from r only the bytes it uses.
type prefixReader struct {
	prefix []byte
	r      *bufio.Reader
}

func (p *prefixReader) Read(b []byte) (int, error) {
	if len(p.prefix) > 0 {
		n := copy(b, p.prefix)
		p.prefix = p.prefix[n:]
		return n, nil
	}
	return p.r.Read(b)
}

func (p *prefixReader) ReadByte() (byte, error) {
	if len(p.prefix) > 0 {
		c := p.prefix[0]
		p.prefix = p.prefix[1:]
		return c, nil
	}
	return p.r.ReadByte()
}

func (s *xmlStream) tokenError(err error, offset int64) error {
	switch {
	case err == io.EOF && !s.inRoot:
		return fmt.Errorf("arxiv: no XML elements: not %s input", s.format)
	case err == io.EOF:
		return io.EOF
	}
	return fmt.Errorf("arxiv: %s after %s %d (byte %d): %w", s.label, s.unit, s.units, offset, s.absolute(err))
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
