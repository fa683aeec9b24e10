package web

import (
	"net/http"
	"net/url"
	"strings"

	"paperboy"
	"paperboy/internal/account"
	"paperboy/internal/community"
)

// withStats sets the upvotes, the signed-in user's vote and the comment
// count of each card, when the community features are on.
func (h *Handler) withStats(r *http.Request, cards []card) error {
	if h.community == nil || len(cards) == 0 {
		return nil
	}
	ids := make([]paperboy.ArxivID, len(cards))
	for i, c := range cards {
		ids[i] = paperboy.ArxivID(c.ID)
	}
	stats, err := h.community.StatsOf(r.Context(), account.UserFrom(r.Context()), ids)
	if err != nil {
		return err
	}
	for i := range cards {
		st := stats[ids[i]]
		cards[i].Community, cards[i].Upvotes, cards[i].Voted, cards[i].Comments = true, st.Upvotes, st.Voted, st.Comments
		cards[i].Next = r.URL.RequestURI()
	}
	return nil
}

// submittedCards are the cards of the papers submitted in [from, to), when
// the daily mode lists submissions.
func (h *Handler) submittedCards(r *http.Request, p period) ([]card, error) {
	if h.community == nil {
		return nil, nil
	}
	mode, err := h.community.DailyMode(r.Context())
	if err != nil || mode == community.DailyAll {
		return nil, err
	}
	items, _, err := h.community.Daily(r.Context(), community.DailyFilter{From: p.Start, To: p.End, Submitter: "", Limit: dailyPerPage})
	if err != nil {
		return nil, err
	}
	var cards []card
	for _, it := range items {
		if it.Submission == nil {
			break // submissions come first
		}
		c := newCard(it.Paper, noHighlight)
		c.SubmittedBy = it.Submission.Submitter.PublicName()
		cards = append(cards, c)
	}
	return cards, h.withStats(r, cards)
}

// paperIDFrom reads the paper ID of routes that carry it before a suffix:
// /papers/{id}/upvote, or /papers/{archive}/{num}/upvote for old-style IDs.
func paperIDFrom(r *http.Request) (paperboy.ArxivID, error) {
	raw := r.PathValue("id")
	if a := r.PathValue("archive"); a != "" {
		raw = a + "/" + r.PathValue("num")
	}
	id, _, err := paperboy.ParseArxivID(raw)
	if err != nil {
		return "", paperboy.Errorf(paperboy.ENOTFOUND, "Paper %q not found: %s", raw, paperboy.ErrorMessage(err))
	}
	return id, nil
}

// localRedirect sends the browser back to next when it is a path on this
// site, else to fallback: a form's "next" field is never an open redirect.
func localRedirect(w http.ResponseWriter, r *http.Request, next, fallback string) {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		next = fallback
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
