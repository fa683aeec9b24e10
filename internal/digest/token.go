package digest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"paperboy"
)

// Link purposes. A token signed for one purpose is refused for another.
const (
	purposeConfirm  = "confirm"
	purposePrefs    = "prefs"
	purposeUnsub    = "unsub"
	purposeFeedback = "fb"
)

// ConfirmTTL is how long a confirmation link works. Preference,
// unsubscribe and feedback links in digests do not expire: a reader must
// be able to unsubscribe from an old e-mail.
const ConfirmTTL = 7 * 24 * time.Hour

// signer makes and checks the tokens of e-mail links: the payload
// "purpose|subscriber|extra|expiry" in base64url, a dot, and the first 16
// bytes of its HMAC-SHA256, keyed by the server secret and bound to the
// subscriber's address (so a token outlives no change of address).
type signer struct{ key []byte }

type token struct {
	Purpose      string
	SubscriberID int64
	Extra        string    // feedback: "more:2401.00001"
	Expires      time.Time // zero: never
}

func (s signer) mac(payload, email string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(payload))
	m.Write([]byte{0})
	m.Write([]byte(email))
	return m.Sum(nil)[:16]
}

func (s signer) sign(t token, email string) string {
	var exp int64
	if !t.Expires.IsZero() {
		exp = t.Expires.Unix()
	}
	payload := t.Purpose + "|" + strconv.FormatInt(t.SubscriberID, 10) + "|" + t.Extra + "|" + strconv.FormatInt(exp, 10)
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(s.mac(payload, email))
}

var errBadLink = paperboy.Errorf(paperboy.EINVALID, "This link is not valid: it may be incomplete, or it has expired.")

// parse reads a token's payload without checking its MAC, which needs the
// subscriber's address: call verify next.
func parseToken(raw, purpose string) (token, string, error) {
	p64, _, ok := strings.Cut(raw, ".")
	b, err := base64.RawURLEncoding.DecodeString(p64)
	if !ok || err != nil {
		return token{}, "", errBadLink
	}
	f := strings.Split(string(b), "|")
	if len(f) != 4 || f[0] != purpose {
		return token{}, "", errBadLink
	}
	id, err1 := strconv.ParseInt(f[1], 10, 64)
	exp, err2 := strconv.ParseInt(f[3], 10, 64)
	if err1 != nil || err2 != nil {
		return token{}, "", errBadLink
	}
	t := token{Purpose: f[0], SubscriberID: id, Extra: f[2]}
	if exp != 0 {
		t.Expires = time.Unix(exp, 0).UTC()
	}
	return t, string(b), nil
}

// verify checks raw's MAC for email and its expiry at now.
func (s signer) verify(raw, payload, email string, t token, now time.Time) error {
	_, m64, _ := strings.Cut(raw, ".")
	got, err := base64.RawURLEncoding.DecodeString(m64)
	if err != nil || !hmac.Equal(got, s.mac(payload, email)) {
		return errBadLink
	}
	if !t.Expires.IsZero() && !now.Before(t.Expires) {
		return errBadLink
	}
	return nil
}
