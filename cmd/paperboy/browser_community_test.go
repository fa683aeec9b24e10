package main

import (
	"context"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"paperboy/internal/config"
	"paperboy/internal/mail"
	"paperboy/internal/mail/mailtest"
)

// communityApp is the real program booted with the demo data and a real
// SMTP server that captures what it sends.
type communityApp struct {
	*Main
	smtp *mailtest.Server
	base string
}

// bootCommunity boots Main as serve runs it, with PAPERBOY_SMTP_URL pointing
// at a mailtest server. The server's certificate is self-signed, so the
// sender is built from the same URL plus trust in that certificate and
// handed to Main (its Mail field), as an operator's private CA would be.
// Submissions never reach the arXiv API: only stored papers are submitted.
func bootCommunity(t *testing.T) *communityApp {
	t.Helper()
	srv := mailtest.Start(t, mailtest.Options{})
	cfg := config.Default()
	cfg.DB, cfg.Addr, cfg.Demo, cfg.LogLevel = filepath.Join(t.TempDir(), "community.db"), "127.0.0.1:0", true, "warn"
	cfg.SMTPURL = srv.URL()
	m, err := NewMain(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	smtpCfg, err := mail.ParseSMTPURL(cfg.SMTPURL)
	if err != nil {
		t.Fatal(err)
	}
	smtpCfg.TLSConfig, smtpCfg.From = srv.Config().TLSConfig, cfg.MailSender()
	if m.Mail, err = mail.NewSMTPSender(smtpCfg); err != nil {
		t.Fatal(err)
	}
	m.ArxivAPI = "off"
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return &communityApp{Main: m, smtp: srv, base: "http://" + m.Addr()}
}

var signinLink = regexp.MustCompile(`https?://\S+/signin/confirm\?token=[A-Za-z0-9_-]+`)

// signIn signs email in through the browser: the form, the e-mailed link,
// the confirm button. It returns after the header shows the account.
func (app *communityApp) signIn(t *testing.T, ctx context.Context, email, shot string) {
	t.Helper()
	before := len(app.smtp.Messages())
	err := chromedp.Do(ctx,
		chromedp.Navigate(app.base+"/signin"),
		chromedp.SendKeys(chromedp.CSS(`#signin-email`), email),
		chromedp.Submit(chromedp.CSS(`#signin-email`)),
		chromedp.WaitVisible(chromedp.CSS(`main .notice`)),
	)
	if err != nil {
		t.Fatalf("sign-in form: %v", err)
	}
	screenshot(t, ctx, shot+"-link-sent")

	app.Accounts.Flush() // the e-mail goes out in the background
	msgs := app.smtp.Messages()
	if len(msgs) != before+1 {
		t.Fatalf("SMTP server got %d new messages, want 1 sign-in e-mail", len(msgs)-before)
	}
	msg := msgs[len(msgs)-1]
	if len(msg.EnvelopeTo) != 1 || msg.EnvelopeTo[0] != email || !msg.TLS {
		t.Fatalf("sign-in e-mail went to %v (TLS %v), want %s over TLS", msg.EnvelopeTo, msg.TLS, email)
	}
	raw := signinLink.FindString(msg.Text)
	if raw == "" {
		t.Fatalf("no sign-in link in the e-mail:\n%s", msg.Text)
	}
	// The link names the configured address (port 0 here); open it on the
	// port the server really listens on.
	link, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}

	err = chromedp.Do(ctx,
		chromedp.Navigate(app.base+link.RequestURI()),
		chromedp.WaitVisible(chromedp.CSS(`main form[action="/signin/confirm"] button`)),
	)
	if err != nil {
		t.Fatalf("open the sign-in link: %v", err)
	}
	screenshot(t, ctx, shot+"-confirm")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`main form[action="/signin/confirm"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.account-nav a[href="/settings"]`)),
	)
	if err != nil {
		t.Fatalf("confirm sign-in: %v", err)
	}
	if got := must(t, ctx, "account in header", chromedp.Text(chromedp.CSS(`.account-nav`))); strings.TrimSpace(got) != email {
		t.Errorf("header shows %q, want the account %s", got, email)
	}
	screenshot(t, ctx, shot+"-signed-in")
}

// TestBrowserCommunity clicks through the community features as a person
// does: sign in by e-mail, upvote, comment (escaped), edit, hide, submit
// (and submit again), trending with its reason, API tokens, sign out.
func TestBrowserCommunity(t *testing.T) {
	ctx := newBrowser(t)
	app := bootCommunity(t)
	const email = "ada@example.org"
	if _, err := app.Accounts.CreateUser(context.Background(), email, "Ada Lovelace", true); err != nil {
		t.Fatal(err)
	}
	var dialogs atomic.Int32 // alert() from a comment would open one
	err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1) // the page is now stuck: later steps time out
		}
	})
	if err != nil {
		t.Fatal(err)
	}

	app.signIn(t, ctx, email, "01-signin")
	paperURL := upvoteFirstCard(t, ctx, app.base)
	commentEscaped(t, ctx, app.base+paperURL, &dialogs)
	editAndHideComment(t, ctx)
	submitStored(t, ctx, app.base, strings.TrimPrefix(paperURL, "/papers/"))

	// Trending: the job refreshes a few seconds after a vote; refresh now.
	if err := app.Trending.Refresh(context.Background()); err != nil {
		t.Fatalf("trending refresh: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(app.base+"/trending"), chromedp.WaitVisible(chromedp.CSS(`main h1`))); err != nil {
		t.Fatalf("trending: %v", err)
	}
	reason := must(t, ctx, "trending reason", chromedp.Evaluate[string](`(() => {
		const a = document.querySelector('main .card .card-title a[href="`+paperURL+`"]');
		const r = a && a.closest('.card').querySelector('.card-reason');
		return r ? r.textContent : '';
	})()`))
	screenshot(t, ctx, "09-trending")
	if !strings.Contains(reason, "upvote") {
		t.Errorf("trending shows %s with reason %q, want its upvote named", paperURL, reason)
	}

	apiTokens(t, ctx, app.base)

	// Sign out: the header offers sign-in again.
	err = chromedp.Do(ctx,
		chromedp.Navigate(app.base+"/settings"),
		chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.account-nav a[href="/signin"]`)),
	)
	if err != nil {
		t.Fatalf("sign out: %v", err)
	}
	screenshot(t, ctx, "12-signed-out")
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened; a comment ran script", n)
	}
}

// upvoteFirstCard upvotes the first paper on the home page and returns its
// URL path.
func upvoteFirstCard(t *testing.T, ctx context.Context, base string) string {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`main .card .vote-button`))); err != nil {
		t.Fatalf("home: %v", err)
	}
	href := must(t, ctx, "first card", chromedp.AttributeValue(chromedp.CSS(`main .card .card-title a`), "href")).Value
	before := must(t, ctx, "count before", chromedp.Text(chromedp.CSS(`main .card .vote-count`)))
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`main .card .vote-button`)),
		chromedp.WaitVisible(chromedp.CSS(`main .card .vote-button.voted`)),
	)
	if err != nil {
		t.Fatalf("upvote: %v", err)
	}
	after := must(t, ctx, "count after", chromedp.Text(chromedp.CSS(`main .card .vote-count`)))
	pressed := must(t, ctx, "aria-pressed", chromedp.AttributeValue(chromedp.CSS(`main .card .vote-button`), "aria-pressed"))
	location := must(t, ctx, "location", chromedp.Location())
	screenshot(t, ctx, "02-upvoted")
	if before != "0" || after != "1" {
		t.Errorf("upvote count went from %q to %q, want 0 to 1", before, after)
	}
	if pressed.Value != "true" {
		t.Errorf("upvote button aria-pressed=%q after voting, want true", pressed.Value)
	}
	if location != base+"/" {
		t.Errorf("after upvoting the browser is at %s, want back on %s/", location, base)
	}
	return href
}

// commentEscaped posts a comment with a script tag and a link, and checks
// that the script shows as text and the link is nofollow.
func commentEscaped(t *testing.T, ctx context.Context, paperURL string, dialogs *atomic.Int32) {
	t.Helper()
	const body = "Solid baseline. <script>alert(1)</script> Code: https://example.org/repo"
	err := chromedp.Do(ctx,
		chromedp.Navigate(paperURL),
		chromedp.SendKeys(chromedp.CSS(`#comment-body`), body),
		chromedp.Submit(chromedp.CSS(`#comment-body`)),
		chromedp.WaitVisible(chromedp.CSS(`article.comment .comment-body`)),
	)
	if err != nil {
		t.Fatalf("post comment: %v", err)
	}
	text := must(t, ctx, "comment text", chromedp.Text(chromedp.CSS(`article.comment .comment-body`)))
	scripts := must(t, ctx, "script elements", chromedp.Evaluate[int](`document.querySelectorAll('main script, .comment-body script').length`))
	rel := must(t, ctx, "link rel", chromedp.AttributeValue(chromedp.CSS(`.comment-body a[href="https://example.org/repo"]`), "rel"))
	count := must(t, ctx, "paper page count", chromedp.Text(chromedp.CSS(`.paper-votes .vote-count`)))
	screenshot(t, ctx, "03-comment")
	if !strings.Contains(text, "<script>alert(1)</script>") {
		t.Errorf("comment shows %q, want the script tag as text", text)
	}
	if scripts != 0 {
		t.Errorf("comment produced %d <script> elements", scripts)
	}
	if !strings.Contains(" "+rel.Value+" ", " nofollow ") {
		t.Errorf("comment link rel=%q, want nofollow", rel.Value)
	}
	if count != "1" {
		t.Errorf("paper page shows %q upvotes, want the 1 just given", count)
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened after the comment", n)
	}
}

// editAndHideComment edits the comment on the current paper page, then
// hides and shows it again as an admin.
func editAndHideComment(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`article.comment a[href$="/edit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.comment-form textarea`)),
	)
	if err != nil {
		t.Fatalf("open comment editor: %v", err)
	}
	screenshot(t, ctx, "04-comment-edit")
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`form.comment-form textarea`), "Edited: the *ablation* convinced me."),
		chromedp.Submit(chromedp.CSS(`form.comment-form textarea`)),
		chromedp.WaitVisible(chromedp.CSS(`article.comment .comment-body em`)),
	)
	if err != nil {
		t.Fatalf("save comment: %v", err)
	}
	header := must(t, ctx, "comment header", chromedp.Text(chromedp.CSS(`article.comment header`)))
	text := must(t, ctx, "edited text", chromedp.Text(chromedp.CSS(`article.comment .comment-body`)))
	screenshot(t, ctx, "05-comment-edited")
	if !strings.Contains(text, "Edited: the ablation convinced me.") || !strings.Contains(header, "edited") {
		t.Errorf("after editing: header %q, body %q; want the new text and an edited mark", header, text)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`article.comment form[action$="/hide"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`article.comment .comment-hidden`)),
	)
	if err != nil {
		t.Fatalf("hide comment: %v", err)
	}
	bodies := must(t, ctx, "hidden bodies", chromedp.Evaluate[int](`document.querySelectorAll('article.comment .comment-body').length`))
	screenshot(t, ctx, "06-comment-hidden")
	if bodies != 0 {
		t.Errorf("a hidden comment still shows its body")
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`article.comment form[action$="/hide"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`article.comment .comment-body`)),
	)
	if err != nil {
		t.Fatalf("show comment again: %v", err)
	}
}

// submitStored submits a paper the instance stores: the first time it is
// listed as submitted, the second time the form says politely that it was.
func submitStored(t *testing.T, ctx context.Context, base, id string) {
	t.Helper()
	submit := func(note string) {
		t.Helper()
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/submit"),
			chromedp.SendKeys(chromedp.CSS(`#submit-paper`), id),
			chromedp.SendKeys(chromedp.CSS(`#submit-comment`), note),
			chromedp.Submit(chromedp.CSS(`#submit-paper`)),
		)
		if err != nil {
			t.Fatalf("submit %s: %v", id, err)
		}
	}
	submit("Worth a read.")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`.paper-votes .submitted`))); err != nil {
		t.Fatalf("submitted paper page: %v", err)
	}
	submitted := must(t, ctx, "submitted line", chromedp.Text(chromedp.CSS(`.paper-votes .submitted`)))
	location := must(t, ctx, "location", chromedp.Location())
	screenshot(t, ctx, "07-submitted")
	if !strings.HasSuffix(location, "/papers/"+id) || !strings.Contains(submitted, "Worth a read.") {
		t.Errorf("after submitting: at %s, %q; want the paper page with the note", location, submitted)
	}

	submit("Again.")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`main .form-error`))); err != nil {
		t.Fatalf("second submission: %v", err)
	}
	msg := must(t, ctx, "duplicate message", chromedp.Text(chromedp.CSS(`main .form-error`)))
	kept := must(t, ctx, "form keeps the ID", chromedp.Value(chromedp.CSS(`#submit-paper`)))
	screenshot(t, ctx, "08-submitted-again")
	if !strings.Contains(msg, "already submitted by you") || kept != id {
		t.Errorf("second submission says %q with %q in the form; want the polite duplicate notice and the ID kept", msg, kept)
	}
}

// apiTokens creates an API token in the settings, sees it once, and
// revokes it.
func apiTokens(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/settings"),
		chromedp.SendKeys(chromedp.CSS(`#token-name`), "laptop script"),
		chromedp.Submit(chromedp.CSS(`#token-name`)),
		chromedp.WaitVisible(chromedp.CSS(`.new-token`)),
	)
	if err != nil {
		t.Fatalf("create token: %v", err)
	}
	token := must(t, ctx, "new token", chromedp.Text(chromedp.CSS(`.new-token`)))
	sessions := must(t, ctx, "session rows", chromedp.Evaluate[int](`document.querySelectorAll('form[action^="/settings/sessions/"]').length`))
	screenshot(t, ctx, "10-token-created")
	if !strings.HasPrefix(token, "pb_") {
		t.Errorf("new token %q, want pb_…", token)
	}
	if sessions != 1 {
		t.Errorf("settings list %d sessions, want this browser's one", sessions)
	}
	name := must(t, ctx, "token table", chromedp.Text(chromedp.CSS(`main table:last-of-type tbody`)))
	if !strings.Contains(name, "laptop script") {
		t.Errorf("token table shows %q, want the new token's name", name)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action^="/settings/tokens/"] button`)),
		chromedp.WaitNotPresent(chromedp.CSS(`form[action^="/settings/tokens/"]`)),
	)
	if err != nil {
		t.Fatalf("revoke token: %v", err)
	}
	screenshot(t, ctx, "11-token-revoked")
	if n := must(t, ctx, "new token shown", chromedp.Evaluate[int](`document.querySelectorAll('.new-token').length`)); n != 0 {
		t.Errorf("the token is shown again after revoking")
	}
}
