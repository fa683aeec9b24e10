package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"paperboy"
)

const searchPerPage = 20

// searchPage shows one page of ranked results for a query.
type searchPage struct {
	layout
	Total int
	Cards []card
	Pager pager
	Error string // why the query could not run

	Modes    []modeLink // the mode toggle; empty when the searcher has one mode
	Fallback string     // why the mode asked for was not used, when it was not
}

// SearchShow serves /search?q=&page=. A query that is the ID or arXiv URL
// of a stored paper goes straight to its page.
func (h *Handler) SearchShow(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page := searchPage{layout: h.layoutFor(r, "Search")}
	page.Query = q
	if q != "" {
		page.Feed = "/feeds/search.atom?" + url.Values{"q": {q}}.Encode()
	}
	if q != "" {
		page.Title = q + " – Search"
	}
	pageNo, err := parsePage(r.URL.Query())
	if err != nil {
		return page.fail(err)
	}
	mode := r.URL.Query().Get("mode")
	rs, reporting := h.search.(paperboy.ReportingSearcher)
	if reporting {
		page.Modes = modeLinks(q, mode)
	}
	if !paperboy.ValidSearchMode(mode) {
		return page.fail(paperboy.Errorf(paperboy.EINVALID, "Unknown search mode %q; use hybrid, keyword or semantic.", mode))
	}
	if q == "" {
		return h.render(w, http.StatusOK, "search", page)
	}
	if id, _, err := paperboy.ParseArxivID(q); err == nil {
		_, err := h.papers.Paper(r.Context(), id)
		if err == nil {
			http.Redirect(w, r, paperURL(id), http.StatusSeeOther)
			return nil
		} else if paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
			return err
		}
	}
	sq := paperboy.SearchQuery{Text: q, Limit: searchPerPage, Offset: (pageNo - 1) * searchPerPage, Mode: mode}
	var results []paperboy.SearchResult
	var total int
	if reporting {
		var rep paperboy.SearchReport
		results, total, rep, err = rs.SearchReport(r.Context(), sq)
		page.Fallback = rep.Fallback
	} else {
		results, total, err = h.search.Search(r.Context(), sq)
	}
	if err != nil {
		return page.fail(err)
	}
	page.Total = total
	page.Topic = q // the footer offers to follow this search by e-mail
	for _, res := range results {
		page.Cards = append(page.Cards, newCard(res.Paper, highlighter(res.Terms)))
	}
	if err := h.withStats(r, page.Cards); err != nil {
		return err
	}
	page.Pager = newPager(pageNo, searchPerPage, total, func(n int) string {
		v := url.Values{"q": {q}, "page": {strconv.Itoa(n)}}
		if mode != "" {
			v.Set("mode", mode)
		}
		return "/search?" + v.Encode()
	})
	return h.render(w, http.StatusOK, "search", page)
}

// fail shows a user's mistake on the search page itself; anything else
// goes to the generic error page.
func (p searchPage) fail(err error) error {
	if paperboy.ErrorCode(err) == paperboy.EINTERNAL {
		return err
	}
	p.Error = paperboy.ErrorMessage(err)
	return &pageError{err: err, name: "search", data: p}
}
