package api

import (
	"net/http"
	"time"

	"paperboy"
)

const (
	dailyDefaultLimit = 50
	dailyMaxLimit     = 500
)

type dailyResponse struct {
	Date   *string `json:"date"` // null when there are no papers at all
	Prev   *string `json:"prev"`
	Next   *string `json:"next"`
	Total  int     `json:"total"`
	Limit  int     `json:"limit"`
	Offset int     `json:"offset"`
	Papers []paper `json:"papers"`
}

// DailyShow serves GET /api/v1/daily?date=YYYY-MM-DD: the papers first
// submitted that day (the latest day with papers when date is omitted) and
// the nearest earlier and later days with papers.
func (h *Handler) DailyShow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var day time.Time
	if q.Has("date") {
		s := q.Get("date")
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return paperboy.Errorf(paperboy.EINVALID, "Invalid date %q: expected YYYY-MM-DD, e.g. 2007-04-02.", s)
		}
		day = d
	}
	limit, err := intParam(q, "limit", dailyDefaultLimit, 1, dailyMaxLimit)
	if err != nil {
		return err
	}
	offset, err := intParam(q, "offset", 0, 0, maxOffset)
	if err != nil {
		return err
	}
	resp := dailyResponse{Limit: limit, Offset: offset, Papers: []paper{}}
	nb, err := h.papers.Days(r.Context(), day)
	if err != nil {
		return err
	}
	if day.IsZero() {
		day = nb.Day
	}
	if day.IsZero() {
		return writeJSON(w, http.StatusOK, resp)
	}
	resp.Date = dateString(day)
	if nb.Day.Equal(day) {
		resp.Prev, resp.Next = dateString(nb.Prev), dateString(nb.Next)
	} else {
		resp.Prev, resp.Next = dateString(nb.Day), dateString(nb.Next)
	}
	papers, total, err := h.papers.Papers(r.Context(), paperboy.PaperFilter{
		SubmittedFrom: day, SubmittedTo: day.AddDate(0, 0, 1), Limit: limit, Offset: offset,
	})
	if err != nil {
		return err
	}
	resp.Total, resp.Papers = total, newPapers(papers)
	return writeJSON(w, http.StatusOK, resp)
}

// dateString formats a day as YYYY-MM-DD, nil for the zero day.
func dateString(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.DateOnly)
	return &s
}
