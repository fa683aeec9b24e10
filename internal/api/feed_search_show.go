package api

import (
	"net/http"
	"net/url"
	"strings"

	"paperboy"
)

// searchFeedSize is how many results the search feed lists: the search
// engine's largest page.
const searchFeedSize = 100

// FeedSearchShow serves GET /feeds/search.atom?q=, the best matches of any
// search in paperboy's query language, by relevance. A missing or
// unparseable query is a 400.
func (h *Handler) FeedSearchShow(w http.ResponseWriter, r *http.Request) error {
	text := strings.TrimSpace(r.URL.Query().Get("q"))
	if text == "" {
		return paperboy.Errorf(paperboy.EINVALID, "Missing query: give q, e.g. /feeds/search.atom?q=graph+neural+networks.")
	}
	results, _, err := h.search.Search(r.Context(), paperboy.SearchQuery{Text: text, Limit: searchFeedSize})
	if err != nil {
		return err
	}
	papers := make([]*paperboy.Paper, 0, len(results))
	for _, res := range results {
		papers = append(papers, res.Paper)
	}
	q := url.Values{"q": {text}}.Encode()
	return writeFeed(w, r, feedMeta{
		Title:    "paperboy: search " + text,
		Subtitle: "The best matches for " + text + ", by relevance.",
		Self:     "/feeds/search.atom?" + q, Page: "/search?" + q,
	}, papers)
}
