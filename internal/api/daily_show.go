package api

import (
	"context"
	"net/http"
	"time"

	"paperboy"
	"paperboy/internal/community"
)

const (
	dailyDefaultLimit = 50
	dailyMaxLimit     = 500
)

type dailyResponse struct {
	Date        *string           `json:"date"` // null when there is nothing to list at all
	Prev        *string           `json:"prev"`
	Next        *string           `json:"next"`
	Mode        string            `json:"mode"`
	Total       int               `json:"total"`
	Limit       int               `json:"limit"`
	Offset      int               `json:"offset"`
	Papers      []paper           `json:"papers"`
	Submissions []dailySubmission `json:"submissions"`
}

// dailySubmission says who put a paper of the listing on the daily page.
type dailySubmission struct {
	PaperID     string    `json:"paper_id"`
	SubmittedBy string    `json:"submitted_by"`
	Comment     string    `json:"comment"`
	Submitted   time.Time `json:"submitted"`
}

// DailyShow serves GET /api/v1/daily?date=YYYY-MM-DD: a day's listing (the
// day the home page opens on when date is omitted) and the nearest
// earlier and later days whose listing has papers. Without the community
// features, and in all daily mode, the listing is the papers first
// submitted to arXiv that day; with them it is the home page's, from
// community.Daily: in submitted mode the papers submitted that day, in
// both mode those and then the day's other new arXiv papers.
func (h *Handler) DailyShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
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
	resp := dailyResponse{Limit: limit, Offset: offset, Papers: []paper{}, Submissions: []dailySubmission{}}
	if resp.Mode, err = community.Mode(ctx, h.community); err != nil {
		return err
	}
	if day.IsZero() {
		if day, err = community.OpeningDay(ctx, h.community, h.papers, resp.Mode); err != nil || day.IsZero() {
			if err != nil {
				return err
			}
			return writeJSON(w, http.StatusOK, resp)
		}
	}
	resp.Date = dateString(day)
	if err := h.dailyListing(ctx, &resp, day); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, resp)
}

// dailyListing fills in the day's neighbours and a page of its listing.
func (h *Handler) dailyListing(ctx context.Context, resp *dailyResponse, day time.Time) error {
	next := day.AddDate(0, 0, 1)
	days, err := community.Days(ctx, h.community, h.papers, day, next)
	if err != nil {
		return err
	}
	resp.Prev, resp.Next = dateString(days.Prev), dateString(days.Next)
	if h.community == nil {
		papers, total, err := h.papers.Papers(ctx, paperboy.PaperFilter{
			SubmittedFrom: day, SubmittedTo: next, Limit: resp.Limit, Offset: resp.Offset,
		})
		resp.Total, resp.Papers = total, newPapers(papers)
		return err
	}
	items, total, err := h.community.Daily(ctx, community.DailyFilter{From: day, To: next, Limit: resp.Limit, Offset: resp.Offset})
	if err != nil {
		return err
	}
	resp.Total = total
	for _, it := range items {
		resp.Papers = append(resp.Papers, newPaper(it.Paper))
		if sub := it.Submission; sub != nil {
			resp.Submissions = append(resp.Submissions, dailySubmission{
				PaperID: sub.PaperID.String(), SubmittedBy: sub.Submitter.PublicName(), Comment: sub.Comment, Submitted: sub.Created.UTC(),
			})
		}
	}
	return nil
}

// dateString formats a day as YYYY-MM-DD, nil for the zero day.
func dateString(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.DateOnly)
	return &s
}
