package web

import (
	"net/url"

	"paperboy"
)

// modeLink is one choice of the search page's mode toggle: a plain link
// that keeps the query, so the toggle works without JavaScript.
type modeLink struct {
	Label, Title, URL string
	Current           bool
}

// modeLinks returns the toggle for query q searched in mode ("" is
// hybrid, the default).
func modeLinks(q, mode string) []modeLink {
	if mode == "" {
		mode = paperboy.ModeHybrid
	}
	choices := []struct{ mode, label, title string }{
		{paperboy.ModeHybrid, "Hybrid", "Words and meaning"},
		{paperboy.ModeKeyword, "Keyword", "Words only"},
		{paperboy.ModeSemantic, "Semantic", "Meaning only"},
	}
	links := make([]modeLink, len(choices))
	for i, c := range choices {
		v := url.Values{"q": {q}}
		if c.mode != paperboy.ModeHybrid {
			v.Set("mode", c.mode)
		}
		links[i] = modeLink{Label: c.label, Title: c.title, URL: "/search?" + v.Encode(), Current: c.mode == mode}
	}
	return links
}
