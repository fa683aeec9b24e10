package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"paperboy"
	"paperboy/internal/community"
	"paperboy/internal/trending"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages are the templates a handler can render, each with the zero value of
// its page struct; each is parsed together with layout.html and
// partials.html.
func pages() map[string]any {
	return map[string]any{
		"daily":  dailyPage{},
		"paper":  paperPage{},
		"search": searchPage{},
		"error":  errorPage{},
		"status": statusPage{},

		// accounts (account_pages.go)
		"signin":         signinPage{},
		"signin_confirm": signinConfirmPage{},
		"settings":       settingsPage{},

		// community (community_pages.go)
		"submit":       submitPage{},
		"trending":     trendingPage{},
		"comment_edit": commentEditPage{},

		// digest (digest_pages.go)
		"subscribe":      subscribePage{},
		"digest_confirm": digestConfirmPage{},
		"digest_prefs":   digestPrefsPage{},
		"digest_admin":   digestAdminPage{},
	}
}

// Config is what the HTML front-end needs.
type Config struct {
	Papers  paperboy.PaperStore
	Search  paperboy.Searcher
	Version string           // shown in the footer
	Now     func() time.Time // the clock; nil means time.Now

	// Community and Trending serve upvotes, submissions, comments and
	// trending (community_pages.go); nil leaves them out.
	Community *community.Service
	Trending  *trending.Service
}

// Handler serves the HTML pages. Its exported methods are the handlers the
// server's route table names.
type Handler struct {
	papers    paperboy.PaperStore
	search    paperboy.Searcher
	version   string
	now       func() time.Time
	templates map[string]*template.Template
	assets    map[string]asset
	community *community.Service
	trending  *trending.Service
}

// asset is an embedded static file with the hash that busts caches.
type asset struct {
	body  []byte
	hash  string
	ctype string
}

// New parses every template and loads every static asset, so a broken
// template fails at start-up (and in tests), never in a request.
func New(c Config) (*Handler, error) {
	h := &Handler{papers: c.Papers, search: c.Search, version: c.Version, now: c.Now, community: c.Community, trending: c.Trending}
	if h.now == nil {
		h.now = time.Now
	}
	var err error
	if h.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if h.templates, err = h.parseTemplates(templateFS); err != nil {
		return nil, err
	}
	return h, nil
}

func loadAssets() (map[string]asset, error) {
	assets := make(map[string]asset)
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		assets[strings.TrimPrefix(p, "static/")] = asset{body: body, hash: hex.EncodeToString(sum[:6]), ctype: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	return assets, nil
}

// parseTemplates parses each page with the shared layout and partials.
func (h *Handler) parseTemplates(fsys fs.FS) (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(h.funcs()).
		ParseFS(fsys, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	ts := make(map[string]*template.Template)
	for name, zero := range pages() {
		t, err := template.Must(base.Clone()).ParseFS(fsys, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		// html/template escapes on first use: use it now, so that errors
		// of context show up here too.
		if err := t.ExecuteTemplate(io.Discard, "layout", zero); err != nil {
			return nil, fmt.Errorf("check template %s: %w", name, err)
		}
		ts[name] = t
	}
	return ts, nil
}

func (h *Handler) funcs() template.FuncMap {
	return template.FuncMap{
		"static": h.staticURL,
	}
}

// staticURL is the cache-busting URL of an embedded asset.
func (h *Handler) staticURL(name string) (string, error) {
	a, ok := h.assets[name]
	if !ok {
		return "", fmt.Errorf("no static asset %q", name)
	}
	return "/static/" + name + "?v=" + a.hash, nil
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
func (h *Handler) render(w http.ResponseWriter, status int, name string, data any) error {
	t, ok := h.templates[name]
	if !ok {
		return fmt.Errorf("render: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w) // the client went away: nothing left to tell it
	return nil
}

// layout is the part of every page that the shared layout reads.
type layout struct {
	Title      string
	Query      string // echoed in the header's search box
	AppVersion string // paperboy's version, in the footer
	Feed       string // the page's Atom feed, linked from <head>; "" for none
	Topic      string // a search the footer's subscribe form offers to follow

	User *paperboy.User // the signed-in user, nil for none; set by layoutFor
}

func (h *Handler) layout(title string) layout {
	return layout{Title: title, AppVersion: h.version}
}
