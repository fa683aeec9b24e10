package search

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"paperboy"
)

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want Query
	}{
		{"", Query{}},
		{"graph neural networks", Query{Terms: []string{"graph", "neural", "networks"}}},
		{`"graph neural" networks`, Query{Terms: []string{"networks"}, Phrases: []string{"graph neural"}}},
		{`“curly quotes” ok`, Query{Terms: []string{"ok"}, Phrases: []string{"curly quotes"}}},
		{`"unclosed phrase`, Query{Phrases: []string{"unclosed phrase"}}},
		{`bert -vision -"image net"`, Query{Terms: []string{"bert"}, Excluded: []string{"vision", "image net"}}},
		{"a - b", Query{Terms: []string{"a", "-", "b"}}},
		{"pre-training", Query{Terms: []string{"pre-training"}}},
		{"cat:cs.LG CAT:Stat -cat:cs.CV", Query{Categories: []string{"cs.lg", "stat"}, ExcludedCategories: []string{"cs.cv"}}},
		{`author:LeCun author:"Yoshua Bengio" -author:Hinton`, Query{Authors: []string{"LeCun", "Yoshua Bengio"}, ExcludedAuthors: []string{"Hinton"}}},
		{"year:2019 after:2019-10-01 before:2019-10-31", Query{Year: 2019, After: date("2019-10-01"), Before: date("2019-10-31")}},
		{"after:2019-01-01 after:2019-06-01 before:2020-01-01 before:2019-12-01",
			Query{After: date("2019-06-01"), Before: date("2019-12-01")}},
		{"BERT: language", Query{Terms: []string{"BERT:", "language"}}},
		{"http://example.com/x", Query{Terms: []string{"http://example.com/x"}}},
		{"1706.03762", Query{ID: "1706.03762"}},
		{" arXiv:1706.03762v5 ", Query{ID: "1706.03762"}},
		{"https://arxiv.org/abs/hep-th/9901001v2", Query{ID: "hep-th/9901001"}},
		{"1706.03762 attention", Query{Terms: []string{"1706.03762", "attention"}}},
	}
	for _, tt := range tests {
		got, err := ParseQuery(tt.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("ParseQuery(%q)\n got %+v\nwant %+v", tt.in, *got, tt.want)
		}
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"after:2019-13-01", `Bad date "2019-13-01" in after:; use YYYY-MM-DD.`},
		{"before:yesterday", `Bad date "yesterday" in before:; use YYYY-MM-DD.`},
		{"year:20x9", `Bad year "20x9" in year:; use four digits, e.g. year:2019.`},
		{"year:19", `Bad year "19" in year:; use four digits, e.g. year:2019.`},
		{"year:2019 year:2020", "Two different years, 2019 and 2020; use after: and before: for a range."},
		{"transformers cat:", "Empty cat: filter; use e.g. cat:cs.LG or cat:cs."},
		{`author:""`, `Empty author: filter; use e.g. author:Hinton or author:"Geoffrey Hinton".`},
		{"author:--", `"--" in author: names no one; use e.g. author:Hinton or author:"Geoffrey Hinton".`},
		{"cat:cs_LG", `Bad category "cs_LG" in cat:; use e.g. cat:cs.LG or cat:cs.`},
		{"-year:2019", "-year: is not supported; use after: and before: to bound dates."},
	}
	for _, tt := range tests {
		_, err := ParseQuery(tt.in)
		if code := paperboy.ErrorCode(err); code != paperboy.EINVALID {
			t.Errorf("ParseQuery(%q): code %q, want %q (err %v)", tt.in, code, paperboy.EINVALID, err)
			continue
		}
		if got := paperboy.ErrorMessage(err); got != tt.want {
			t.Errorf("ParseQuery(%q): message\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestQueryStringRoundTrips(t *testing.T) {
	for _, in := range []string{
		`graph "neural network" -vision -"image net" cat:cs.lg -cat:cs.cv author:"Yann LeCun" -author:Hinton year:2019 after:2019-10-01 before:2019-10-31`,
		"1706.03762",
		"",
	} {
		q, err := ParseQuery(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.String(); got != strings.TrimSpace(in) {
			t.Errorf("String() = %q, want %q", got, in)
		}
		back, err := ParseQuery(q.String())
		if err != nil || !reflect.DeepEqual(back, q) {
			t.Errorf("ParseQuery(%q) = %+v, %v; want %+v", q.String(), back, err, q)
		}
	}
}

func TestQueryEmpty(t *testing.T) {
	for in, want := range map[string]bool{"": true, "  ": true, "x": false, "cat:cs": false, "-x": false, "1706.03762": false} {
		q, err := ParseQuery(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.Empty(); got != want {
			t.Errorf("ParseQuery(%q).Empty() = %v, want %v", in, got, want)
		}
	}
}

// FuzzParseQuery checks that any input either parses or fails with
// EINVALID, that a parsed query compiles and runs, and that its canonical
// form parses back to the same query.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		`graph "neural network" -vision -"image net" cat:cs.lg -cat:cs.cv author:"Yann LeCun" -author:Hinton year:2019 after:2019-10-01 before:2019-10-31`,
		"1706.03762", "https://arxiv.org/abs/hep-th/9901001v2", `“curly” -"`, "year:20x", "cat:", "-after:2019-01-01",
		`author:"o'brien" pre-training $O(n^2)$ \alpha`, "- -- -\"\" x:y",
	} {
		f.Add(s)
	}
	e, _ := newSynced(f, corpus()...)
	v := e.cur.Load()
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			if code := paperboy.ErrorCode(err); code != paperboy.EINVALID {
				t.Fatalf("ParseQuery(%q): error code %s, want EINVALID: %v", s, code, err)
			}
			return
		}
		v.run(compile(q, DefaultParams()), DefaultParams(), 10)
		back, err := ParseQuery(q.String())
		if err != nil {
			t.Fatalf("ParseQuery(%q) = %v; String() of ParseQuery(%q) does not parse", q.String(), err, s)
		}
		if !reflect.DeepEqual(back, q) {
			t.Fatalf("ParseQuery(%q) = %+v, want %+v (the parse of %q)", q.String(), back, q, s)
		}
	})
}
