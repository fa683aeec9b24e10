package arxiv

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"paperboy"
)

// DefaultRSSBaseURL is where arXiv's per-category listings live:
// <base>/<category>, e.g. https://rss.arxiv.org/rss/cs.LG.
const DefaultRSSBaseURL = "https://rss.arxiv.org/rss"

// RSSFeed is one day's listing of a category, as arXiv's RSS feed gives it
// (the format since 2024: each <item> carries <arxiv:announce_type> and a
// description "arXiv:2401.01234v2 Announce Type: replace Abstract: ...").
type RSSFeed struct {
	Category string // the feed's category, as asked for
	Day      time.Time
	Items    []paperboy.Announcement
	Skipped  []*RecordError // items without a usable ID or announce type
}

type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Channel struct {
		PubDate       string    `xml:"pubDate"`
		LastBuildDate string    `xml:"lastBuildDate"`
		Items         []rssItem `xml:"item"`
	} `xml:"channel"`
}

type rssItem struct {
	Title        string   `xml:"title"`
	Link         string   `xml:"link"`
	Description  string   `xml:"description"`
	GUID         string   `xml:"guid"`
	Categories   []string `xml:"category"`
	PubDate      string   `xml:"pubDate"`
	AnnounceType string   `xml:"http://arxiv.org/schemas/atom announce_type"`
	Rights       string   `xml:"http://purl.org/dc/elements/1.1/ rights"`
	Creator      string   `xml:"http://purl.org/dc/elements/1.1/ creator"`
	DOI          string   `xml:"http://arxiv.org/schemas/atom DOI"`
	JournalRef   string   `xml:"http://arxiv.org/schemas/atom journal_reference"`
}

// rssDescription is "arXiv:<id>v<n> Announce Type: <type> Abstract: <text>".
var rssDescription = regexp.MustCompile(`(?s)^\s*arXiv:(\S+?)(?:v(\d+))?\s+Announce Type:\s*(\S+)\s*(?:Abstract:\s*(.*))?$`)

// ParseRSS reads a whole arXiv RSS listing. XML that does not parse is a
// Malformed error (fetching again may help); an item it cannot use is
// skipped and reported.
func ParseRSS(body []byte, category string) (*RSSFeed, error) {
	var doc rssDoc
	dec := newXMLDecoder(bytes.NewReader(body))
	if err := dec.Decode(&doc); err != nil {
		return nil, Malformed(fmt.Errorf("rss feed %s: %w", category, err))
	}
	feed := &RSSFeed{Category: category, Day: listingDay(doc.Channel.PubDate, doc.Channel.LastBuildDate)}
	for i, it := range doc.Channel.Items {
		a, err := it.announcement(feed)
		if err != nil {
			feed.Skipped = append(feed.Skipped, &RecordError{Record: i + 1, ID: strings.TrimSpace(it.GUID), Err: err})
			continue
		}
		feed.Items = append(feed.Items, a)
	}
	return feed, nil
}

func (it *rssItem) announcement(feed *RSSFeed) (paperboy.Announcement, error) {
	m := rssDescription.FindStringSubmatch(it.Description)
	if m == nil {
		return paperboy.Announcement{}, fmt.Errorf("description does not start \"arXiv:<id> Announce Type:\"")
	}
	id, _, err := paperboy.ParseArxivID(m[1])
	if err != nil {
		return paperboy.Announcement{}, err
	}
	typ := paperboy.AnnounceType(strings.TrimSpace(it.AnnounceType))
	if typ == "" {
		typ = paperboy.AnnounceType(m[3])
	}
	if !typ.Valid() {
		return paperboy.Announcement{}, fmt.Errorf("unknown announce type %q", typ)
	}
	p := &paperboy.Paper{
		ID: id, Title: clean(it.Title), Abstract: strings.TrimSpace(m[4]),
		Authors: ParseAuthors(clean(it.Creator)), License: clean(it.Rights),
		DOI: clean(it.DOI), JournalRef: clean(it.JournalRef),
	}
	fmt.Sscan(m[2], &p.Version)
	for _, c := range it.Categories {
		p.Categories = appendUnique(p.Categories, clean(c))
	}
	// A new paper's first-submission day is not in the listing; its
	// announcement day stands in until OAI-PMH brings the real one (that
	// record then wins: it is dated, this one is not).
	if typ == paperboy.AnnounceNew {
		p.Submitted = feed.Day
	}
	day := feed.Day
	if d := listingDay(it.PubDate, ""); !d.IsZero() {
		day = d
	}
	return paperboy.Announcement{Paper: p, Type: typ, Category: feed.Category, Announced: day}, nil
}

// listingDay is the date of an RSS date as arXiv wrote it (US Eastern),
// as a UTC midnight; zero if neither date parses.
func listingDay(dates ...string) time.Time {
	for _, s := range dates {
		for _, layout := range []string{time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700"} {
			if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
				y, m, d := t.Date()
				return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
			}
		}
	}
	return time.Time{}
}

// RSS fetches the listing of one category (or archive, or several joined
// with "+") from base, retrying as Fetch does.
func (c *Client) RSS(ctx context.Context, base, category string, stats *Stats) (*RSSFeed, error) {
	var feed *RSSFeed
	err := c.Fetch(ctx, strings.TrimSuffix(base, "/")+"/"+url.PathEscape(category), stats, func(body []byte) error {
		var err error
		feed, err = ParseRSS(body, category)
		return err
	})
	return feed, err
}
