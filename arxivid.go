package paperboy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ArxivID is a version-less arXiv identifier in canonical form: new style
// "2401.01234" or "0704.0001", old style "hep-th/9901001" or
// "math/0309136" (the subject class of "math.GT/0309136" is not part of the
// identity of the paper and is dropped).
type ArxivID string

// String returns the identifier as arXiv prints it.
func (id ArxivID) String() string { return string(id) }

// AbsURL is the paper's abstract page on arXiv.
func (id ArxivID) AbsURL() string { return "https://arxiv.org/abs/" + string(id) }

// PDFURL is the latest PDF of the paper on arXiv.
func (id ArxivID) PDFURL() string { return "https://arxiv.org/pdf/" + string(id) }

// HTMLURL is arXiv's HTML rendering of the paper (papers from late 2023 on).
func (id ArxivID) HTMLURL() string { return "https://arxiv.org/html/" + string(id) }

var (
	newStyleID = regexp.MustCompile(`^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d+))?$`)
	oldStyleID = regexp.MustCompile(`^([a-z]+(?:-[a-z]+)*)(\.[A-Z]{2})?/(\d{2})(\d{2})(\d{3})(?:v(\d+))?$`)
)

// ParseArxivID parses s as an arXiv identifier, with an optional version, an
// "arXiv:" prefix, or as an arxiv.org abs, pdf or html URL. It returns the
// version-less ID and the version (0 when s names none). It returns EINVALID,
// with a message saying why, for anything else.
func ParseArxivID(s string) (ArxivID, int, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return "", 0, Errorf(EINVALID, "Empty arXiv ID.")
	}
	s, err := stripArxivURL(s)
	if err != nil {
		return "", 0, err
	}
	if len(s) >= 6 && strings.EqualFold(s[:6], "arxiv:") {
		s = s[6:]
	}
	if m := newStyleID.FindStringSubmatch(s); m != nil {
		return parseNewStyle(orig, m)
	}
	if m := oldStyleID.FindStringSubmatch(s); m != nil {
		return parseOldStyle(orig, m)
	}
	return "", 0, Errorf(EINVALID, "%q is not an arXiv ID: expected YYMM.NNNNN (e.g. 2401.01234), archive/YYMMNNN (e.g. hep-th/9901001) or an arxiv.org URL.", orig)
}

// stripArxivURL returns the identifier part of an arxiv.org abs, pdf or html
// URL, or s unchanged when s is not a URL.
func stripArxivURL(s string) (string, error) {
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
	case strings.HasPrefix(lower, "arxiv.org/"), strings.HasPrefix(lower, "www.arxiv.org/"), strings.HasPrefix(lower, "export.arxiv.org/"):
	default:
		return s, nil
	}
	rest := s[strings.Index(s, "//")+2:]
	if !strings.Contains(s, "//") {
		rest = s
	}
	host, path, _ := strings.Cut(rest, "/")
	switch strings.ToLower(host) {
	case "arxiv.org", "www.arxiv.org", "export.arxiv.org":
	default:
		return "", Errorf(EINVALID, "%q is not an arxiv.org URL.", s)
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	kind, id, ok := strings.Cut(path, "/")
	switch kind {
	case "abs", "pdf", "html":
	default:
		return "", Errorf(EINVALID, "%q is not an arXiv abs, pdf or html URL.", s)
	}
	if !ok || id == "" {
		return "", Errorf(EINVALID, "%q has no arXiv ID after /%s/.", s, kind)
	}
	id = strings.TrimSuffix(strings.TrimSuffix(id, "/"), ".pdf")
	return id, nil
}

func parseNewStyle(orig string, m []string) (ArxivID, int, error) {
	yy, _ := strconv.Atoi(m[1])
	mm, _ := strconv.Atoi(m[2])
	if mm < 1 || mm > 12 {
		return "", 0, Errorf(EINVALID, "%q is not an arXiv ID: month %02d is not 01-12.", orig, mm)
	}
	if yy < 7 || (yy == 7 && mm < 4) {
		return "", 0, Errorf(EINVALID, "%q is not an arXiv ID: new-style IDs start at 0704.", orig)
	}
	digits := len(m[3])
	if yy < 15 && digits != 4 {
		return "", 0, Errorf(EINVALID, "%q is not an arXiv ID: IDs before 1501 have a 4-digit number.", orig)
	}
	if yy >= 15 && digits != 5 {
		return "", 0, Errorf(EINVALID, "%q is not an arXiv ID: IDs from 1501 on have a 5-digit number.", orig)
	}
	v, err := parseVersion(orig, m[4])
	return ArxivID(m[1] + m[2] + "." + m[3]), v, err
}

func parseOldStyle(orig string, m []string) (ArxivID, int, error) {
	mm, _ := strconv.Atoi(m[4])
	if mm < 1 || mm > 12 {
		return "", 0, Errorf(EINVALID, "%q is not an arXiv ID: month %02d is not 01-12.", orig, mm)
	}
	if m[5] == "000" {
		return "", 0, Errorf(EINVALID, "%q is not an arXiv ID: paper number 000 does not exist.", orig)
	}
	v, err := parseVersion(orig, m[6])
	return ArxivID(m[1] + "/" + m[3] + m[4] + m[5]), v, err
}

func parseVersion(orig, s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 || v > 999 {
		return 0, Errorf(EINVALID, "%q is not an arXiv ID: version v%s is out of range.", orig, s)
	}
	return v, nil
}

// MustParseArxivID is ParseArxivID for identifiers known to be valid, such as
// test fixtures. It panics on an invalid ID.
func MustParseArxivID(s string) ArxivID {
	id, _, err := ParseArxivID(s)
	if err != nil {
		panic(fmt.Sprintf("MustParseArxivID(%q): %v", s, err))
	}
	return id
}
