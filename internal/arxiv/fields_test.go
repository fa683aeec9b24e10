package arxiv

import (
	"slices"
	"strings"
	"testing"

	"paperboy"
)

// Hand-checked values, one test per format, against the fixtures' text.

func TestKaggleFields(t *testing.T) {
	papers := parseFile(t, "kaggle_sample50.jsonl").Papers
	p := find(t, papers, "0704.0001")
	if got := p.AuthorNames(); !slices.Equal(got, []string{"C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"}) {
		t.Errorf("authors: got %q", got)
	}
	if p.Title != "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies" {
		t.Errorf("title: got %q", p.Title)
	}
	want := []paperboy.Version{{Number: 1, Date: date("2007-04-02T19:18:42Z")}, {Number: 2, Date: date("2007-07-24T20:10:27Z")}}
	if p.Version != 2 || !slices.EqualFunc(p.Versions, want, sameVersion) {
		t.Errorf("versions: got %d %v", p.Version, p.Versions)
	}
	if !p.Submitted.Equal(date("2007-04-02T19:18:42Z")) || !p.Updated.Equal(date("2008-11-26T00:00:00Z")) {
		t.Errorf("dates: got submitted %v, updated %v (update_date 2008-11-26 is later than v2)", p.Submitted, p.Updated)
	}
	if p.DOI != "10.1103/PhysRevD.76.013009" || p.ReportNo != "ANL-HEP-PR-07-12" || p.PrimaryCategory() != "hep-ph" {
		t.Errorf("doi/report/category: got %q %q %q", p.DOI, p.ReportNo, p.Categories)
	}
	q := find(t, papers, "0704.0002")
	if !slices.Equal(q.Categories, []string{"math.CO", "cs.CG"}) || q.Abstract[:34] != "We describe a new algorithm, the $" {
		t.Errorf("0704.0002: categories %q, abstract %q", q.Categories, q.Abstract[:40])
	}
	m := find(t, papers, "0704.0025")
	if m.Authors[1].Affiliation != "CREST, Japan Science and Technology Agency; The University of Tokyo" {
		t.Errorf("footnote affiliation: got %q", m.Authors[1].Affiliation)
	}
}

func TestArXivRawFields(t *testing.T) {
	res := parseFile(t, "oai_listrecords_arxivraw.xml")
	if len(res.Papers) != 1000 || res.ResumptionToken != "3996692|1001" {
		t.Fatalf("got %d papers, token %q; want 1000, 3996692|1001", len(res.Papers), res.ResumptionToken)
	}
	p := find(t, res.Papers, "1207.4664")
	if p.Submitter != "Alexander Mamonov V" || p.Versions[0].Size != "11129kb" || !p.Versions[0].Date.Equal(date("2012-07-19T13:39:08Z")) {
		t.Errorf("1207.4664: submitter %q, versions %v", p.Submitter, p.Versions)
	}
	if !p.Updated.Equal(date("2019-10-08T00:00:00Z")) || p.License != "http://arxiv.org/licenses/nonexclusive-distrib/1.0/" {
		t.Errorf("1207.4664: updated %v (the datestamp), license %q", p.Updated, p.License)
	}
	if !slices.Equal(p.Categories, []string{"physics.med-ph", "cs.NA", "math.NA", "physics.optics"}) {
		t.Errorf("1207.4664: categories %q", p.Categories)
	}
	q := find(t, res.Papers, "1207.4933")
	if q.JournalRef != "SIAM J. Applied Dynamical Systems Vol. 12, No. 1, pp. 515-532 (2013)" || len(q.Authors) != 5 || q.Authors[3].Name != "Tim J. Foxon" {
		t.Errorf("1207.4933: journal-ref %q, authors %q", q.JournalRef, q.AuthorNames())
	}
	if res.Datestamp != "2019-10-01" {
		t.Errorf("datestamp of the last record: got %q", res.Datestamp)
	}
}

func TestOAIArXivFields(t *testing.T) {
	p := parseFile(t, "oai_getrecord_arxiv.xml").Papers[0]
	want := []paperboy.Author{{Name: "Sander Uijlen", Affiliation: "Radboud Universiteit"}, {Name: "Bas Westerbaan", Affiliation: "Radboud Universiteit"}}
	if !slices.Equal(p.Authors, want) || p.Version != 0 || p.DOI != "10.4204/EPTCS.172.11" {
		t.Errorf("authors %q, version %d, doi %q", p.Authors, p.Version, p.DOI)
	}
	if !p.Submitted.Equal(date("2014-12-29T00:00:00Z")) || !p.Updated.Equal(date("2015-01-03T00:00:00Z")) {
		t.Errorf("submitted %v, updated %v", p.Submitted, p.Updated)
	}
	if p.Abstract[:40] != "At the heart of the Conway-Kochen Free W" {
		t.Errorf("abstract not trimmed: %q", p.Abstract[:40])
	}
	q := parseFile(t, "oai_listrecords_arxiv.xml").Papers[1]
	if q.ID != "hep-th/9504118" || q.ReportNo != "GOET-TP 101/95" || !strings.Contains(q.Abstract, `'{\it cellular network}'`) {
		t.Errorf("hep-th/9504118: id %q, report-no %q, abstract keeps LaTeX: %q", q.ID, q.ReportNo, q.Abstract[:200])
	}
}

func TestOAIDublinCoreFields(t *testing.T) {
	res := parseFile(t, "oai_listrecords_oai_dc.xml")
	p := find(t, res.Papers, "0704.0001")
	if p.Comments != "37 pages, 15 figures; published version" || p.JournalRef != "Phys.Rev.D76:013009,2007" {
		t.Errorf("comments %q, journal-ref %q", p.Comments, p.JournalRef)
	}
	if !p.Updated.Equal(date("2015-01-03T00:00:00Z")) || p.Version != 0 || len(p.Versions) != 1 {
		t.Errorf("updated %v, version %d, versions %v", p.Updated, p.Version, p.Versions)
	}
	q := find(t, res.Papers, "1412.8544")
	if !slices.Equal(q.Categories, []string{"cs.DM", "quant-ph"}) || q.Authors[0].Name != "Sander Uijlen" {
		t.Errorf("categories %q, authors %q", q.Categories, q.AuthorNames())
	}
	if res.OAIError != nil || res.ResumptionToken == "" {
		t.Errorf("error %v, token %q", res.OAIError, res.ResumptionToken)
	}
}

func TestOAIErrors(t *testing.T) {
	res := parseFile(t, "oai_error_norecordsmatch.xml")
	if res.Fatal != "" || res.OAIError == nil || res.OAIError.Code != "noRecordsMatch" {
		t.Errorf("noRecordsMatch: fatal %q, error %v; want io.EOF and the error reported", res.Fatal, res.OAIError)
	}
	res = parseFile(t, "oai_error_badresumptiontoken.xml")
	if res.OAIError == nil || res.OAIError.Code != "badResumptionToken" || res.Fatal != res.OAIError.Error() {
		t.Errorf("badResumptionToken: fatal %q, error %v", res.Fatal, res.OAIError)
	}
}

func TestAtomFields(t *testing.T) {
	res := parseFile(t, "atom_query_doc.xml")
	p := res.Papers[0]
	want := []paperboy.Version{{Number: 1, Date: date("2022-06-14T15:35:46Z")}, {Number: 3, Date: date("2025-01-30T01:23:42Z")}}
	if p.ID != "2206.06921" || p.Version != 3 || !slices.EqualFunc(p.Versions, want, sameVersion) {
		t.Errorf("id %q, version %d, versions %v", p.ID, p.Version, p.Versions)
	}
	if p.DOI != "10.1512/iumj.2024.73.9928" || p.JournalRef != "Indiana Univ. Math. J. 73 (2024), 1331-1356" {
		t.Errorf("doi %q, journal-ref %q", p.DOI, p.JournalRef)
	}
	if !slices.Equal(p.Categories, []string{"math.CA", "math.DS", "math.MG"}) || !strings.Contains(p.Abstract, `$d\in\mathbb{N}$`) {
		t.Errorf("categories %q, abstract %q", p.Categories, p.Abstract[:40])
	}
	q := find(t, parseFile(t, "atom_query.xml").Papers, "nucl-ex/0408020")
	if q.PrimaryCategory() != "nucl-ex" || len(q.Authors) != 9 || q.Authors[8].Name != "H. de Vries" {
		t.Errorf("nucl-ex/0408020: categories %q, authors %q", q.Categories, q.AuthorNames())
	}
	var aff int
	for _, p := range parseFile(t, "atom_query.xml").Papers {
		for _, a := range p.Authors {
			if a.Affiliation == "Rutherford" {
				aff++
			}
		}
	}
	if aff != 2 {
		t.Errorf("arxiv:affiliation Rutherford: got %d authors, want 2", aff)
	}
	if missing := parseFile(t, "atom_query_missing_id.xml"); len(missing.Papers) != 1 || missing.Papers[0].ID != "2201.13452" {
		t.Errorf("missing ids: got %d papers", len(missing.Papers))
	}
}

func sameVersion(a, b paperboy.Version) bool {
	return a.Number == b.Number && a.Date.Equal(b.Date) && a.Size == b.Size
}
