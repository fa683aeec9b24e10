// Package oaitest is a fake arXiv OAI-PMH endpoint for tests: real HTTP on
// 127.0.0.1, real protocol (ListRecords windows filtered by datestamp, pages
// chained by resumption tokens, OAI-PMH errors), serving records cut byte
// for byte from a captured arXiv response, with faults injected on chosen
// requests.
package oaitest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Record is one <record> element of a captured response, as written.
type Record struct {
	ID        string // "1207.4664"
	Datestamp string // "2019-10-08"
	XML       string // <record>...</record>
}

var (
	recordRE     = regexp.MustCompile(`(?s)<record>.*?</record>`)
	identifierRE = regexp.MustCompile(`<identifier>oai:arXiv.org:([^<]+)</identifier>`)
	datestampRE  = regexp.MustCompile(`<datestamp>([^<]+)</datestamp>`)
)

// LoadRecords cuts the records out of a captured ListRecords response.
func LoadRecords(t testing.TB, path string) []Record {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("oaitest: %v", err)
	}
	var recs []Record
	for _, x := range recordRE.FindAllString(string(body), -1) {
		id, ds := identifierRE.FindStringSubmatch(x), datestampRE.FindStringSubmatch(x)
		if id == nil || ds == nil {
			t.Fatalf("oaitest: record without identifier or datestamp: %.200s", x)
		}
		recs = append(recs, Record{ID: id[1], Datestamp: ds[1], XML: x})
	}
	if len(recs) == 0 {
		t.Fatalf("oaitest: no records in %s", path)
	}
	return recs
}

// Fault is what goes wrong with one response.
type Fault string

const (
	None        Fault = ""
	Unavailable Fault = "503"      // 503 with Retry-After (arXiv's flow control)
	ServerError Fault = "500"      // 500, no Retry-After
	BadGateway  Fault = "502"      // 502, as a proxy in front says
	BadToken    Fault = "badtoken" // OAI-PMH badResumptionToken (token expired)
	CutBody     Fault = "cut"      // Content-Length says more than is sent, then the connection closes
	CutXML      Fault = "cutxml"   // a complete HTTP response whose XML stops mid-record
	Slow        Fault = "slow"     // no answer until the client gives up
	Reset       Fault = "reset"    // the connection is reset before any answer
	HTMLPage    Fault = "html"     // 200 with an HTML error page
)

// RetryAfterSec is the Retry-After of Unavailable, in seconds.
const RetryAfterSec = 7

// Request is one request the server saw.
type Request struct {
	N         int // 1-based
	Query     url.Values
	Token     string
	UserAgent string
	Remote    string // the client's address: one per connection
	Fault     Fault
}

// Server is the fake endpoint. URL is its base URL.
type Server struct {
	*httptest.Server
	PageSize int           // records per page
	Delay    time.Duration // before each answer

	mu       sync.Mutex
	records  []Record
	faults   map[int]Fault
	requests []Request
	conns    map[string]bool
}

// New starts a server on 127.0.0.1 serving records, pageSize to a page. It
// is closed when t ends.
func New(t testing.TB, records []Record, pageSize int) *Server {
	s := &Server{PageSize: pageSize, records: records, faults: map[int]Fault{}, conns: map[string]bool{}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Server.Config.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.mu.Lock()
			s.conns[c.RemoteAddr().String()] = true
			s.mu.Unlock()
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// Inject makes request number n (1-based, counting every request) fail
// with f.
func (s *Server) Inject(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[n] = f
}

// SetRecords replaces what the server holds, as arXiv's updates do.
func (s *Server) SetRecords(records []Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records = records
}

// Requests returns the requests seen so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Connections returns how many TCP connections clients opened.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	req := Request{N: len(s.requests) + 1, Query: q, Token: q.Get("resumptionToken"), UserAgent: r.UserAgent(), Remote: r.RemoteAddr}
	req.Fault = s.faults[req.N]
	s.requests = append(s.requests, req)
	records := s.records
	s.mu.Unlock()
	if s.Delay > 0 {
		time.Sleep(s.Delay)
	}
	if s.fault(w, r, req) {
		return
	}
	status, body := s.respond(q, records)
	if req.Fault == CutXML {
		body = body[:len(body)/2]
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	if req.Fault == CutBody {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		w.Write([]byte(body[:len(body)/2]))
		panic(http.ErrAbortHandler) // closes the connection mid-body
	}
	w.WriteHeader(status)
	w.Write([]byte(body))
}

// fault answers the faults that replace the response; it reports whether
// it answered.
func (s *Server) fault(w http.ResponseWriter, r *http.Request, req Request) bool {
	switch req.Fault {
	case Unavailable:
		w.Header().Set("Retry-After", strconv.Itoa(RetryAfterSec))
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "Retry after %d seconds", RetryAfterSec)
	case ServerError, BadGateway:
		code, _ := strconv.Atoi(string(req.Fault))
		http.Error(w, http.StatusText(code), code)
	case BadToken:
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Write([]byte(errorXML(r.URL.Query(), "badResumptionToken", "The value of the resumptionToken argument is invalid or expired.")))
	case Slow:
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
	case Reset:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0) // RST, not FIN
			}
			conn.Close()
		}
	case HTMLPage:
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<!DOCTYPE html><html><body><h1>Service temporarily down</h1></body></html>"))
	default:
		return false
	}
	return true
}

const (
	prologue = `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
<responseDate>2019-11-05T14:25:40Z</responseDate>
`
	baseURL = "https://oaipmh.arxiv.org/oai"
)

// respond answers a ListRecords request per OAI-PMH: the first page of a
// window, or the page a token names.
func (s *Server) respond(q url.Values, records []Record) (int, string) {
	if q.Get("verb") != "ListRecords" {
		return 200, errorXML(q, "badVerb", "Value of the verb argument is not a legal OAI-PMH verb, the verb argument is missing, or the verb argument is repeated.")
	}
	args := q
	skip := 0
	if tok := q.Get("resumptionToken"); tok != "" {
		if len(q) != 2 {
			return 200, errorXML(q, "badArgument", "The request includes illegal arguments, is missing required arguments, includes a repeated argument, or values for arguments have an illegal syntax.")
		}
		var err, perr error
		args, perr = url.ParseQuery(tok)
		if skip, err = strconv.Atoi(args.Get("skip")); perr != nil || err != nil || skip <= 0 {
			return 200, errorXML(q, "badResumptionToken", "The value of the resumptionToken argument is invalid or expired.")
		}
	}
	if args.Get("metadataPrefix") != "arXivRaw" {
		return 200, errorXML(q, "cannotDisseminateFormat", "The metadata format identified by the value given for the metadataPrefix argument is not supported by the item or by the repository.")
	}
	list := window(records, args)
	if len(list) == 0 || skip >= len(list) {
		return 200, errorXML(q, "noRecordsMatch", "The combination of the values of the from, until, set and metadataPrefix arguments results in an empty list.")
	}
	end := min(skip+s.PageSize, len(list))
	var b strings.Builder
	b.WriteString(prologue)
	b.WriteString(requestXML(q))
	b.WriteString("<ListRecords>\n")
	for _, rec := range list[skip:end] {
		b.WriteString(rec.XML)
		b.WriteString("\n")
	}
	switch {
	case end < len(list):
		next := url.Values{}
		for _, k := range []string{"metadataPrefix", "set", "from", "until"} {
			if v := args.Get(k); v != "" {
				next.Set(k, v)
			}
		}
		next.Set("skip", strconv.Itoa(end))
		fmt.Fprintf(&b, "<resumptionToken expirationDate='2019-11-06T00:00:00Z'>%s</resumptionToken>\n", xmlEscape(next.Encode()))
	case skip > 0:
		b.WriteString("<resumptionToken/>\n")
	}
	b.WriteString("</ListRecords>\n</OAI-PMH>\n")
	return 200, b.String()
}

// window selects the records of the set with a datestamp in [from, until].
func window(records []Record, args url.Values) []Record {
	from, until, set := args.Get("from"), args.Get("until"), args.Get("set")
	if set != "" && set != "cs" {
		return nil
	}
	var out []Record
	for _, r := range records {
		if (from == "" || r.Datestamp >= from) && (until == "" || r.Datestamp <= until) {
			out = append(out, r)
		}
	}
	return out
}

func requestXML(q url.Values) string {
	var attrs strings.Builder
	for k := range q {
		fmt.Fprintf(&attrs, " %s='%s'", k, xmlEscape(q.Get(k)))
	}
	return fmt.Sprintf("<request%s>%s</request>\n", attrs.String(), baseURL)
}

func errorXML(q url.Values, code, msg string) string {
	return prologue + requestXML(q) + fmt.Sprintf("<error code='%s'>%s</error>\n</OAI-PMH>\n", code, msg)
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "'", "&apos;", `"`, "&quot;").Replace(s)
}
