package arxiv

import (
	"slices"
	"testing"

	"paperboy"
)

func TestParseAuthors(t *testing.T) {
	type a = paperboy.Author
	tests := []struct {
		in   string
		want []a
	}{
		{"C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
			[]a{{Name: "C. Balázs"}, {Name: "E. L. Berger"}, {Name: "P. M. Nadolsky"}, {Name: "C.-P. Yuan"}}},
		{"Ileana Streinu and Louis Theran", []a{{Name: "Ileana Streinu"}, {Name: "Louis Theran"}}},
		{"A.A. Serga, M. Kostylev, and B. Hillebrands",
			[]a{{Name: "A.A. Serga"}, {Name: "M. Kostylev"}, {Name: "B. Hillebrands"}}},
		{"Nicholas J. McCullen, Alastair M. Rucklidge, Catherine S. E. Bale, Tim\n  J. Foxon, and William F. Gale",
			[]a{{Name: "Nicholas J. McCullen"}, {Name: "Alastair M. Rucklidge"}, {Name: "Catherine S. E. Bale"}, {Name: "Tim J. Foxon"}, {Name: "William F. Gale"}}},
		{"A. Smith (MIT), B. Jones (Oxford and CERN)",
			[]a{{Name: "A. Smith", Affiliation: "MIT"}, {Name: "B. Jones", Affiliation: "Oxford and CERN"}}},
		{"V. M. Biryukov (Serpukhov, IHEP)", []a{{Name: "V. M. Biryukov", Affiliation: "Serpukhov, IHEP"}}},
		{"Arthur Jaffe (1) and Gordon Ritter (1) ((1) Harvard University)",
			[]a{{Name: "Arthur Jaffe", Affiliation: "Harvard University"}, {Name: "Gordon Ritter", Affiliation: "Harvard University"}}},
		{"A. S. Mishchenko (1 and 2) and N. Nagaosa (1 and 3) ((1) CREST, Japan\n  Science and Technology Agency, (2) Russian Research Centre ``Kurchatov\n  Institute'', (3) The University of Tokyo)",
			[]a{{Name: "A. S. Mishchenko", Affiliation: "CREST, Japan Science and Technology Agency; Russian Research Centre “Kurchatov Institute”"},
				{Name: "N. Nagaosa", Affiliation: "CREST, Japan Science and Technology Agency; The University of Tokyo"}}},
		{"Yuka Takahashi (1 and 2), Vassil Vassilev (1) ((1) Princeton University (2) CERN)",
			[]a{{Name: "Yuka Takahashi", Affiliation: "Princeton University; CERN"}, {Name: "Vassil Vassilev", Affiliation: "Princeton University"}}},
		{"Peter Virnau (1), Leonid A. Mirny (1,2) ((1) MIT, (2) Harvard-MIT HST)",
			[]a{{Name: "Peter Virnau", Affiliation: "MIT"}, {Name: "Leonid A. Mirny", Affiliation: "MIT; Harvard-MIT HST"}}},
		{"A. Smith (1), B. Jones (2)", []a{{Name: "A. Smith"}, {Name: "B. Jones"}}},
		{"Peter Brommer and Franz G\\\"ahler (Institut f\\\"ur Theoretische und\n  Angewandte Physik, Universit\\\"at Stuttgart)",
			[]a{{Name: "Peter Brommer"}, {Name: "Franz Gähler", Affiliation: "Institut für Theoretische und Angewandte Physik, Universität Stuttgart"}}},
		{"Christian Krattenthaler (Universit\\\"at Wien) and Thomas M\\\"uller\n  (Queen Mary & Westfield College, University of London)",
			[]a{{Name: "Christian Krattenthaler", Affiliation: "Universität Wien"}, {Name: "Thomas Müller", Affiliation: "Queen Mary & Westfield College, University of London"}}},
		{"A. Smith (Dept. of Physics (Theory), MIT)", []a{{Name: "A. Smith", Affiliation: "Dept. of Physics (Theory), MIT"}}},
		{"Robert Krauthgamer and Havana (Inbal) Rika", []a{{Name: "Robert Krauthgamer"}, {Name: "Havana (Inbal) Rika"}}},
		{"The BABAR Collaboration, B. Aubert, et al", []a{{Name: "The BABAR Collaboration"}, {Name: "B. Aubert"}}},
		{"A. Abulencia et al. (CDF Collaboration)", []a{{Name: "A. Abulencia", Affiliation: "CDF Collaboration"}}},
		{"CLEO Collaboration: T. K. Pedlar, et al", []a{{Name: "CLEO Collaboration"}, {Name: "T. K. Pedlar"}}},
		{"Jason Glyndwr Ulery (for the STAR Collaboration)", []a{{Name: "Jason Glyndwr Ulery", Affiliation: "STAR Collaboration"}}},
		{"J. Junkersfeld, for the CB-ELSA collaboration", []a{{Name: "J. Junkersfeld"}, {Name: "CB-ELSA collaboration"}}},
		{"W. Trautmann and the ALADiN2000\n  Collaboration", []a{{Name: "W. Trautmann"}, {Name: "ALADiN2000 Collaboration"}}},
		{"for the ATLAS Collaboration", []a{{Name: "ATLAS Collaboration"}}},
		{"Caleb K. Lo, Robert W. Heath, Jr. and Sriram Vishwanath",
			[]a{{Name: "Caleb K. Lo"}, {Name: "Robert W. Heath Jr."}, {Name: "Sriram Vishwanath"}}},
		{"Mikkel {\\O}bro", []a{{Name: "Mikkel Øbro"}}},
		{"Tom\\'a\\v{s} Kliegr, \\v{S}t\\v{e}p\\'an Bahn\\'ik", []a{{Name: "Tomáš Kliegr"}, {Name: "Štěpán Bahník"}}},
		{"Naihong Hu, Dong Liu and and Linsheng Zhu", []a{{Name: "Naihong Hu"}, {Name: "Dong Liu"}, {Name: "Linsheng Zhu"}}},
		{"", nil},
		{" , and ", nil},
		{"A. Smith (unclosed", []a{{Name: "A. Smith", Affiliation: "unclosed"}}},
		{"A. Smith) stray", []a{{Name: "A. Smith) stray"}}},
	}
	for _, tt := range tests {
		got := ParseAuthors(tt.in)
		if !slices.Equal(got, tt.want) {
			t.Errorf("ParseAuthors(%q):\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestIsFootnoteRef(t *testing.T) {
	for s, want := range map[string]bool{
		"1": true, "1 and 2": true, "5,6": true, "a": true, "*": true,
		"MIT": false, "LINCS": false, "Inbal": false, "": false, "1) Oxford": false,
	} {
		if got := isFootnoteRef(s); got != want {
			t.Errorf("isFootnoteRef(%q): got %v, want %v", s, got, want)
		}
	}
}
