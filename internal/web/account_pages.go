package web

import (
	"net"
	"net/http"

	"paperboy"
	"paperboy/internal/account"
)

// Accounts serves sign-in, sign-out and settings. Its exported methods are
// handlers the server's route table names.
type Accounts struct {
	*Handler
	svc *account.Service
}

// Accounts returns the account pages served with svc.
func (h *Handler) Accounts(svc *account.Service) *Accounts {
	return &Accounts{Handler: h, svc: svc}
}

// layoutFor is layout with the request's signed-in user, for the header.
func (h *Handler) layoutFor(r *http.Request, title string) layout {
	l := h.layout(title)
	l.User = account.UserFrom(r.Context())
	return l
}

// signinPage asks for an e-mail address, then says a link is on its way.
type signinPage struct {
	layout
	Email string
	Sent  bool   // the request was taken: the same page for every address
	Error string // a malformed address
}

// signinConfirmPage holds the emailed token in a form, so only a person's
// click, not a mail scanner's GET, signs in.
type signinConfirmPage struct {
	layout
	Token string
}

// settingsPage lists the user's sessions and API tokens.
type settingsPage struct {
	layout
	Sessions       []sessionRow
	Tokens         []*paperboy.APIToken
	NewToken       string // a token just created, shown this once
	NewTokenName   string
	TokenNameError string
}

// sessionRow is one session on the settings page.
type sessionRow struct {
	*paperboy.Session
	Current bool
}

// clientIP is the peer address of the request, the key of the per-network
// sign-in limit. Behind a reverse proxy every request shares the proxy's
// address; X-Forwarded-For is not trusted because nothing configures which
// proxy to trust.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// signedIn returns the request's user, or redirects the browser to the
// sign-in page and returns nil.
func signedIn(w http.ResponseWriter, r *http.Request) *paperboy.User {
	u := account.UserFrom(r.Context())
	if u == nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	}
	return u
}
