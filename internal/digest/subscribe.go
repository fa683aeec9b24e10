package digest

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"

	"paperboy"
	"paperboy/internal/account"
	"paperboy/internal/mail"
)

var (
	// ipBucket allows 10 subscription requests from one network, then
	// one per 6 minutes; emailBucket 3 confirmation e-mails to one
	// address, then one per hour.
	ipBucket    = paperboy.RateBucket{Burst: 10, Every: 6 * time.Minute}
	emailBucket = paperboy.RateBucket{Burst: 3, Every: time.Hour}
)

// Subscribe asks for the digest for addr. Whatever the address's state
// (new, pending, confirmed, unsubscribed, suppressed) the caller sees the
// same nil, so the form reveals nothing; only a new, pending or
// unsubscribed address gets a confirmation e-mail (double opt-in), sent in
// the background so the response time reveals nothing either. A signed-in
// user subscribing their own, already verified, address is confirmed at
// once (or, already confirmed, told so) and gets confirmed == true.
// Returns EINVALID for a malformed address or topic, ERATELIMITED when
// the network asked too often.
//
// A non-empty topic is a search to follow (the search page's "get these by
// e-mail" form). A new subscription starts with it. An existing subscriber
// must prove the address is theirs before their preferences change: signed
// in as that address, the topic is added at once; otherwise they are
// e-mailed a preferences link that offers the topic, saved only when they
// press Save.
func (s *Service) Subscribe(ctx context.Context, addr, ip string, user *paperboy.User, topic string) (confirmed bool, err error) {
	email, err := account.NormalizeEmail(addr)
	if err != nil {
		return false, err
	}
	if err := s.checkTopic(ctx, topic); err != nil {
		return false, err
	}
	if s.limits != nil {
		if ok, err := s.limits.TakeRateToken(ctx, "subscribe_ip:"+ip, ipBucket, s.now()); err != nil {
			return false, err
		} else if !ok {
			return false, paperboy.Errorf(paperboy.ERATELIMITED, "Too many requests from your network; try again in a few minutes.")
		}
	}
	sub, err := s.store.SubscriberByEmail(ctx, email)
	switch paperboy.ErrorCode(err) {
	case "":
	case paperboy.ENOTFOUND:
		sub = &paperboy.Subscriber{Email: email, Status: paperboy.SubPending, Prefs: paperboy.DefaultDigestPrefs(), Created: s.now()}
		sub.Prefs.Topics = addTopic(sub.Prefs.Topics, topic)
		if err := s.store.CreateSubscriber(ctx, sub); err != nil && paperboy.ErrorCode(err) != paperboy.ECONFLICT {
			return false, err
		} else if err != nil { // created meanwhile by another request
			return false, nil
		}
		s.logger.InfoContext(ctx, "subscriber_created", "subscriber_id", sub.ID)
	default:
		return false, err
	}
	owner := user != nil && user.Email == email
	if owner && topic != "" && !slices.Contains(sub.Prefs.Topics, topic) {
		sub.Prefs.Topics = addTopic(sub.Prefs.Topics, topic)
		if err := s.store.UpdateSubscriber(ctx, sub); err != nil {
			return false, err
		}
	}
	if owner && sub.Status != paperboy.SubConfirmed {
		return true, s.confirm(ctx, sub)
	}
	if sub.Status == paperboy.SubConfirmed {
		if topic != "" && !owner && !slices.Contains(sub.Prefs.Topics, topic) {
			return false, s.offerTopic(ctx, sub, topic)
		}
		return owner, nil // the owner may learn their own address is subscribed
	}
	if suppressed, err := s.store.Suppressed(ctx, email); err != nil || suppressed {
		return false, err
	}
	if s.limits != nil {
		if ok, err := s.limits.TakeRateToken(ctx, "subscribe_email:"+email, emailBucket, s.now()); err != nil || !ok {
			return false, err
		}
	}
	s.sendConfirmation(sub)
	return false, nil
}

// Subscription returns the subscriber of a signed-in user's own address
// and the path of its preferences page, for the account's settings; nil
// and "" when the address gets no digest (not subscribed, pending or
// unsubscribed). Call it only with the address the user signed in with:
// the path opens the preferences without further proof.
func (s *Service) Subscription(ctx context.Context, user *paperboy.User) (*paperboy.Subscriber, string, error) {
	if user == nil {
		return nil, "", nil
	}
	sub, err := s.store.SubscriberByEmail(ctx, user.Email)
	if paperboy.ErrorCode(err) == paperboy.ENOTFOUND {
		return nil, "", nil
	} else if err != nil {
		return nil, "", err
	}
	if sub.Status != paperboy.SubConfirmed {
		return nil, "", nil
	}
	return sub, "/digest/preferences?token=" + url.QueryEscape(s.PrefsToken(sub)), nil
}

// checkTopic refuses a topic the search language cannot run.
func (s *Service) checkTopic(ctx context.Context, topic string) error {
	if topic == "" || s.search == nil {
		return nil
	}
	if _, _, err := s.search.Search(ctx, paperboy.SearchQuery{Text: topic, Limit: 1}); err != nil {
		return paperboy.Errorf(paperboy.EINVALID, "Topic %q: %s", topic, paperboy.ErrorMessage(err))
	}
	return nil
}

// addTopic appends topic to topics unless it is empty, already there, or
// the list is full.
func addTopic(topics []string, topic string) []string {
	if topic == "" || slices.Contains(topics, topic) || len(topics) >= paperboy.MaxPrefsEntries {
		return topics
	}
	return append(topics, topic)
}

// offerTopic e-mails a confirmed subscriber a preferences link that offers
// topic; nothing changes until they save the form.
func (s *Service) offerTopic(ctx context.Context, sub *paperboy.Subscriber, topic string) error {
	if s.limits != nil {
		if ok, err := s.limits.TakeRateToken(ctx, "subscribe_email:"+sub.Email, emailBucket, s.now()); err != nil || !ok {
			return err
		}
	}
	link := s.link("/digest/preferences", purposePrefs, sub, "") + "&add_topic=" + url.QueryEscape(topic)
	m := &mail.Message{
		From: s.from, To: []string{sub.Email}, Subject: "Add a topic to your paperboy digest?",
		Text: "Someone, probably you, asked to follow this search in your paperboy digest:\n\n    " + topic + "\n\n" +
			"To add it, open your preferences and press Save:\n\n" + link + "\n\n" +
			"If you did not ask for this, ignore this e-mail: your digest stays as it is.\n",
	}
	s.sending.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.mail.Send(ctx, m); err != nil {
			s.logger.Error("digest_topic_offer_failed", "subscriber_id", sub.ID, "err", err)
		}
	})
	return nil
}

func (s *Service) sendConfirmation(sub *paperboy.Subscriber) {
	link := s.baseURL.String() + "/subscribe/confirm?token=" +
		s.signer.sign(token{Purpose: purposeConfirm, SubscriberID: sub.ID, Expires: s.now().Add(ConfirmTTL)}, sub.Email)
	m := &mail.Message{
		From: s.from, To: []string{sub.Email}, Subject: "Confirm your paperboy digest",
		Text: "Someone, probably you, asked for the paperboy digest at this address.\n\n" +
			"To start receiving it, open this link and press the button:\n\n" + link + "\n\n" +
			"The link works for 7 days. If you did not ask for this, ignore this e-mail: nothing more will be sent.\n",
	}
	s.sending.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.mail.Send(ctx, m); err != nil {
			s.logger.Error("digest_confirmation_failed", "subscriber_id", sub.ID, "err", err)
		}
	})
}

// ConfirmToken checks a confirmation link without using it, for the page
// that asks for the click. Returns EINVALID for a bad or expired link.
func (s *Service) ConfirmToken(ctx context.Context, raw string) error {
	_, _, err := s.subscriberFor(ctx, raw, purposeConfirm)
	return err
}

// Confirm confirms the subscription a link names and returns the
// subscriber, whose preferences link the caller shows next. Confirming
// twice is harmless. Returns EINVALID for a bad or expired link.
func (s *Service) Confirm(ctx context.Context, raw string) (*paperboy.Subscriber, error) {
	sub, _, err := s.subscriberFor(ctx, raw, purposeConfirm)
	if err != nil {
		return nil, err
	}
	if sub.Status == paperboy.SubConfirmed {
		return sub, nil
	}
	return sub, s.confirm(ctx, sub)
}

func (s *Service) confirm(ctx context.Context, sub *paperboy.Subscriber) error {
	loc, err := loadLocation(sub.Prefs.TimeZone)
	if err != nil {
		return err
	}
	sub.Status, sub.Confirmed = paperboy.SubConfirmed, s.now()
	sub.NextDue = firstDue(sub.Prefs, loc, s.now())
	if err := s.store.UpdateSubscriber(ctx, sub); err != nil {
		return err
	}
	s.logger.InfoContext(ctx, "subscriber_confirmed", "subscriber_id", sub.ID)
	return nil
}

// Preferences returns the subscriber a preferences link names. Returns
// EINVALID for a bad link.
func (s *Service) Preferences(ctx context.Context, raw string) (*paperboy.Subscriber, error) {
	sub, _, err := s.subscriberFor(ctx, raw, purposePrefs)
	return sub, err
}

// SavePreferences validates p (the time zone against the zone database,
// each topic against the query language) and stores it for the subscriber
// a preferences link names, rescheduling their next issue. Returns
// EINVALID, saying what is wrong.
func (s *Service) SavePreferences(ctx context.Context, raw string, p paperboy.DigestPrefs) (*paperboy.Subscriber, error) {
	sub, _, err := s.subscriberFor(ctx, raw, purposePrefs)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return sub, err
	}
	loc, err := loadLocation(p.TimeZone)
	if err != nil {
		return sub, err
	}
	for _, topic := range p.Topics {
		if _, _, err := s.search.Search(ctx, paperboy.SearchQuery{Text: topic, Limit: 1}); err != nil {
			return sub, paperboy.Errorf(paperboy.EINVALID, "Topic %q: %s", topic, paperboy.ErrorMessage(err))
		}
	}
	sub.Prefs = p
	if sub.Status == paperboy.SubConfirmed {
		sub.NextDue = firstDue(p, loc, s.now())
		if !sub.LastIssue.IsZero() && !sub.NextDue.IsZero() && !localDate(sub.NextDue, loc).After(sub.LastIssue) {
			sub.NextDue = nextDue(p, loc, sub.LastIssue)
		}
	}
	if err := s.store.UpdateSubscriber(ctx, sub); err != nil {
		return sub, err
	}
	s.logger.InfoContext(ctx, "digest_prefs_saved", "subscriber_id", sub.ID, "frequency", p.Frequency)
	return sub, nil
}

// UnsubscribeToken checks an unsubscribe link without using it.
func (s *Service) UnsubscribeToken(ctx context.Context, raw string) (*paperboy.Subscriber, error) {
	sub, _, err := s.subscriberFor(ctx, raw, purposeUnsub)
	return sub, err
}

// Unsubscribe stops every digest to the subscriber an unsubscribe link
// names, at once (RFC 8058 one-click). Unsubscribing twice is harmless.
func (s *Service) Unsubscribe(ctx context.Context, raw string) (*paperboy.Subscriber, error) {
	sub, _, err := s.subscriberFor(ctx, raw, purposeUnsub)
	if err != nil {
		return nil, err
	}
	return sub, s.unsubscribe(ctx, sub)
}

func (s *Service) unsubscribe(ctx context.Context, sub *paperboy.Subscriber) error {
	if sub.Status == paperboy.SubUnsubscribed {
		return nil
	}
	sub.Status, sub.NextDue = paperboy.SubUnsubscribed, time.Time{}
	if err := s.store.UpdateSubscriber(ctx, sub); err != nil {
		return err
	}
	s.logger.InfoContext(ctx, "subscriber_unsubscribed", "subscriber_id", sub.ID)
	return nil
}

// FeedbackLink is what a feedback link says.
type FeedbackLink struct {
	Kind    string
	PaperID paperboy.ArxivID
}

// FeedbackToken checks a feedback link without using it.
func (s *Service) FeedbackToken(ctx context.Context, raw string) (FeedbackLink, error) {
	_, fl, err := s.feedbackLink(ctx, raw)
	return fl, err
}

// RecordFeedback records the "more/less like this" a feedback link names.
func (s *Service) RecordFeedback(ctx context.Context, raw string) (FeedbackLink, error) {
	sub, fl, err := s.feedbackLink(ctx, raw)
	if err != nil {
		return fl, err
	}
	f := paperboy.DigestFeedback{SubscriberID: sub.ID, PaperID: fl.PaperID, Kind: fl.Kind, Created: s.now()}
	if err := s.store.RecordFeedback(ctx, f); err != nil {
		return fl, err
	}
	s.logger.InfoContext(ctx, "digest_feedback", "subscriber_id", sub.ID, "paper_id", fl.PaperID, "kind", fl.Kind)
	return fl, nil
}

func (s *Service) feedbackLink(ctx context.Context, raw string) (*paperboy.Subscriber, FeedbackLink, error) {
	sub, t, err := s.subscriberFor(ctx, raw, purposeFeedback)
	if err != nil {
		return nil, FeedbackLink{}, err
	}
	var fl FeedbackLink
	switch {
	case len(t.Extra) > 5 && t.Extra[:5] == "more:":
		fl = FeedbackLink{Kind: paperboy.FeedbackMore, PaperID: paperboy.ArxivID(t.Extra[5:])}
	case len(t.Extra) > 5 && t.Extra[:5] == "less:":
		fl = FeedbackLink{Kind: paperboy.FeedbackLess, PaperID: paperboy.ArxivID(t.Extra[5:])}
	default:
		return nil, fl, fmt.Errorf("feedback token of subscriber %d: bad extra %q", sub.ID, t.Extra)
	}
	return sub, fl, nil
}
