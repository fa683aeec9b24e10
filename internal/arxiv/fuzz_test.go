package arxiv

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// drain calls Next until io.EOF or a fatal error and checks that every paper
// is valid and that the reader makes progress: no input of n bytes may yield
// more than n+1 results.
func drain(t *testing.T, r Reader, n int) {
	for range n + 2 {
		p, err := r.Next()
		switch {
		case err == nil:
			if verr := p.Validate(); verr != nil {
				t.Fatalf("invalid paper %+v: %v", p, verr)
			}
			if p.Updated.Before(p.Submitted) {
				t.Fatalf("%s: updated %v before submitted %v", p.ID, p.Updated, p.Submitted)
			}
		case IsRecordError(err):
		case err == io.EOF:
			return
		default:
			if _, again := r.Next(); again == nil {
				t.Fatalf("Next after fatal %v returned a paper", err)
			}
			return
		}
	}
	t.Fatalf("reader did not stop on %d bytes of input", n)
}

func addSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		f.Add(readFixture(f, name))
	}
}

func FuzzKaggle(f *testing.F) {
	for i, line := range bytes.Split(readFixture(f, "kaggle_sample50.jsonl"), []byte("\n")) {
		if i%10 == 0 {
			f.Add(line)
		}
	}
	addSeeds(f, "kaggle_broken.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		drain(t, NewKaggleReader(bytes.NewReader(data)), len(data))
	})
}

func FuzzOAI(f *testing.F) {
	addSeeds(f, "oai_getrecord_arxiv.xml", "oai_listrecords_arxiv.xml", "oai_listrecords_oai_dc.xml",
		"oai_listidentifiers.xml", "oai_error_badresumptiontoken.xml", "oai_broken_tag.xml")
	raw := readFixture(f, "oai_listrecords_arxivraw.xml")
	f.Add(raw[:6000]) // one arXivRaw record and a cut
	f.Fuzz(func(t *testing.T, data []byte) {
		drain(t, NewOAIReader(bytes.NewReader(data)), len(data))
	})
}

func FuzzAtom(f *testing.F) {
	addSeeds(f, "atom_query_doc.xml", "atom_query_missing_id.xml", "atom_query_empty.xml",
		"atom_broken_entries.xml", "atom_error.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		drain(t, NewAtomReader(bytes.NewReader(data)), len(data))
	})
}

// FuzzNewReader checks that sniffing never panics, whatever the input.
func FuzzNewReader(f *testing.F) {
	addSeeds(f, "atom_query_doc.xml", "oai_getrecord_arxiv.xml", "kaggle_broken.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, _, err := NewReader(bytes.NewReader(data)); err == nil {
			drain(t, r, len(data))
		}
	})
}

func FuzzParseAuthors(f *testing.F) {
	for _, s := range []string{
		"A. S. Mishchenko (1 and 2) and N. Nagaosa (1 and 3) ((1) CREST, (2) Kurchatov, (3) Tokyo)",
		"Peter Brommer and Franz G\\\"ahler (Institut f\\\"ur Physik)",
		"The BABAR Collaboration, B. Aubert, et al", "Robert W. Heath, Jr. and Havana (Inbal) Rika",
		"Mar\\'{\\i}a {\\O}bro \\v{S}r\\'amek \\c{c} \\ss", "((((", "))a(b", "\\'{", "\\",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range ParseAuthors(s) {
			if a.Name == "" || a.Name != strings.TrimSpace(a.Name) {
				t.Fatalf("ParseAuthors(%q): bad name %q", s, a.Name)
			}
			if utf8.ValidString(s) && !utf8.ValidString(a.Name+a.Affiliation) {
				t.Fatalf("ParseAuthors(%q): invalid UTF-8 in %q", s, a)
			}
		}
	})
}
