package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"paperboy"
)

// testAccounts runs the account cases; a backend's store must implement
// paperboy.AccountStore as well as PaperStore.
func testAccounts(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s paperboy.AccountStore)
	}{
		{"CreateUser", testCreateUser},
		{"UserNotFound", testUserNotFound},
		{"SignInTokenSingleUse", testSignInTokenSingleUse},
		{"SignInTokenExpired", testSignInTokenExpired},
		{"SignInTokenConcurrent", testSignInTokenConcurrent},
		{"Sessions", testSessions},
		{"SessionOfOtherUser", testSessionOfOtherUser},
		{"APITokens", testAPITokens},
		{"RateBucket", testRateBucket},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := newStore(t, open)
			s, ok := ps.(paperboy.AccountStore)
			if !ok {
				t.Fatalf("%T does not implement paperboy.AccountStore", ps)
			}
			tt.fn(t, s)
		})
	}
}

var accountNow = date("2025-03-01T09:00:00Z")

func hashOf(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func mustUser(t *testing.T, s paperboy.AccountStore, email string) *paperboy.User {
	t.Helper()
	u := &paperboy.User{Email: email, Name: "Ada", Created: accountNow}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := paperboy.ErrorCode(err); got != code {
		t.Errorf("%s: error code %q (%v), want %q", what, got, err, code)
	}
}

func testCreateUser(t *testing.T, s paperboy.AccountStore) {
	ctx := context.Background()
	u := &paperboy.User{Email: " Ada@Example.ORG ", Name: "Ada", Admin: true, Created: accountNow.Add(500 * time.Millisecond)}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if u.ID == 0 || u.Email != "ada@example.org" {
		t.Errorf("after CreateUser: ID %d, Email %q; want an ID and ada@example.org", u.ID, u.Email)
	}
	for _, get := range []func() (*paperboy.User, error){
		func() (*paperboy.User, error) { return s.User(ctx, u.ID) },
		func() (*paperboy.User, error) { return s.UserByEmail(ctx, "ADA@example.org") },
	} {
		got, err := get()
		if err != nil {
			t.Fatalf("read user: %v", err)
		}
		if *got != *u {
			t.Errorf("read user = %+v, want %+v", got, u)
		}
	}
	err := s.CreateUser(ctx, &paperboy.User{Email: "ada@EXAMPLE.org", Created: accountNow})
	wantCode(t, "CreateUser duplicate", err, paperboy.ECONFLICT)
	wantCode(t, "CreateUser empty", s.CreateUser(ctx, &paperboy.User{Created: accountNow}), paperboy.EINVALID)
}

func testUserNotFound(t *testing.T, s paperboy.AccountStore) {
	_, err := s.User(context.Background(), 42)
	wantCode(t, "User(42)", err, paperboy.ENOTFOUND)
	_, err = s.UserByEmail(context.Background(), "nobody@example.org")
	wantCode(t, "UserByEmail", err, paperboy.ENOTFOUND)
}

func testSignInTokenSingleUse(t *testing.T, s paperboy.AccountStore) {
	ctx := context.Background()
	tok := &paperboy.SignInToken{Hash: hashOf("a"), Email: "new@example.org", Created: accountNow, Expires: accountNow.Add(15 * time.Minute)}
	if err := s.CreateSignInToken(ctx, tok); err != nil {
		t.Fatalf("CreateSignInToken: %v", err)
	}
	got, err := s.ConsumeSignInToken(ctx, hashOf("a"), accountNow.Add(time.Minute))
	if err != nil {
		t.Fatalf("ConsumeSignInToken: %v", err)
	}
	if got.Email != tok.Email || !got.Expires.Equal(tok.Expires) || !bytes.Equal(got.Hash, tok.Hash) {
		t.Errorf("consumed %+v, want %+v", got, tok)
	}
	_, err = s.ConsumeSignInToken(ctx, hashOf("a"), accountNow.Add(time.Minute))
	wantCode(t, "second ConsumeSignInToken", err, paperboy.ENOTFOUND)
	_, err = s.ConsumeSignInToken(ctx, hashOf("never"), accountNow)
	wantCode(t, "unknown ConsumeSignInToken", err, paperboy.ENOTFOUND)
}

func testSignInTokenExpired(t *testing.T, s paperboy.AccountStore) {
	ctx := context.Background()
	tok := &paperboy.SignInToken{Hash: hashOf("b"), Email: "a@example.org", Created: accountNow, Expires: accountNow.Add(15 * time.Minute)}
	if err := s.CreateSignInToken(ctx, tok); err != nil {
		t.Fatalf("CreateSignInToken: %v", err)
	}
	_, err := s.ConsumeSignInToken(ctx, hashOf("b"), tok.Expires)
	wantCode(t, "ConsumeSignInToken at expiry", err, paperboy.ENOTFOUND)
}

// testSignInTokenConcurrent checks that of many simultaneous consumers of
// one link exactly one wins.
func testSignInTokenConcurrent(t *testing.T, s paperboy.AccountStore) {
	ctx := context.Background()
	tok := &paperboy.SignInToken{Hash: hashOf("c"), Email: "a@example.org", Created: accountNow, Expires: accountNow.Add(time.Hour)}
	if err := s.CreateSignInToken(ctx, tok); err != nil {
		t.Fatalf("CreateSignInToken: %v", err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Go(func() {
			if _, err := s.ConsumeSignInToken(ctx, hashOf("c"), accountNow); err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d consumers succeeded, want 1", wins)
	}
}

func testSessions(t *testing.T, s paperboy.AccountStore) {
	ctx := context.Background()
	u := mustUser(t, s, "ada@example.org")
	var made []*paperboy.Session
	for i, secret := range []string{"s1", "s2"} {
		sess := &paperboy.Session{UserID: u.ID, Hash: hashOf(secret), UserAgent: "Firefox",
			Created: accountNow.Add(time.Duration(i) * time.Hour), Expires: accountNow.Add(24 * time.Hour)}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		made = append(made, sess)
	}
	gotS, gotU, err := s.SessionByHash(ctx, hashOf("s1"), accountNow)
	if err != nil {
		t.Fatalf("SessionByHash: %v", err)
	}
	if gotS.ID != made[0].ID || gotS.UserAgent != "Firefox" || *gotU != *u {
		t.Errorf("SessionByHash = %+v, %+v; want session %d of %+v", gotS, gotU, made[0].ID, u)
	}
	_, _, err = s.SessionByHash(ctx, hashOf("s1"), accountNow.Add(24*time.Hour))
	wantCode(t, "SessionByHash after expiry", err, paperboy.ENOTFOUND)
	list, err := s.Sessions(ctx, u.ID, accountNow)
	if err != nil {
		t.Fatalf("Sessions: %v", err)
	}
	if len(list) != 2 || list[0].ID != made[1].ID {
		t.Errorf("Sessions = %d sessions, first %+v; want 2, newest (%d) first", len(list), list[0], made[1].ID)
	}
	if err := s.DeleteSession(ctx, u.ID, made[0].ID); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	_, _, err = s.SessionByHash(ctx, hashOf("s1"), accountNow)
	wantCode(t, "SessionByHash after delete", err, paperboy.ENOTFOUND)
	wantCode(t, "DeleteSession twice", s.DeleteSession(ctx, u.ID, made[0].ID), paperboy.ENOTFOUND)
	err = s.CreateSession(ctx, &paperboy.Session{UserID: 9999, Hash: hashOf("x"), Created: accountNow, Expires: accountNow.Add(time.Hour)})
	wantCode(t, "CreateSession for unknown user", err, paperboy.ENOTFOUND)
}

func testSessionOfOtherUser(t *testing.T, s paperboy.AccountStore) {
	ctx := context.Background()
	ada, bob := mustUser(t, s, "ada@example.org"), mustUser(t, s, "bob@example.org")
	sess := &paperboy.Session{UserID: ada.ID, Hash: hashOf("ada"), Created: accountNow, Expires: accountNow.Add(time.Hour)}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	wantCode(t, "bob deletes ada's session", s.DeleteSession(ctx, bob.ID, sess.ID), paperboy.ENOTFOUND)
	if _, _, err := s.SessionByHash(ctx, hashOf("ada"), accountNow); err != nil {
		t.Errorf("ada's session after bob's delete: %v", err)
	}
}

func testAPITokens(t *testing.T, s paperboy.AccountStore) {
	ctx := context.Background()
	ada, bob := mustUser(t, s, "ada@example.org"), mustUser(t, s, "bob@example.org")
	tok := &paperboy.APIToken{UserID: ada.ID, Name: "laptop script", Hash: hashOf("pb_1"), Hint: "abcd", Created: accountNow}
	if err := s.CreateAPIToken(ctx, tok); err != nil {
		t.Fatalf("CreateAPIToken: %v", err)
	}
	gotT, gotU, err := s.APITokenByHash(ctx, hashOf("pb_1"))
	if err != nil {
		t.Fatalf("APITokenByHash: %v", err)
	}
	if gotT.ID != tok.ID || gotT.Name != tok.Name || gotT.Hint != "abcd" || gotU.ID != ada.ID {
		t.Errorf("APITokenByHash = %+v of user %d; want %+v of %d", gotT, gotU.ID, tok, ada.ID)
	}
	list, err := s.APITokens(ctx, ada.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("APITokens = %d tokens, %v; want 1", len(list), err)
	}
	wantCode(t, "bob deletes ada's token", s.DeleteAPIToken(ctx, bob.ID, tok.ID), paperboy.ENOTFOUND)
	if err := s.DeleteAPIToken(ctx, ada.ID, tok.ID); err != nil {
		t.Fatalf("DeleteAPIToken: %v", err)
	}
	_, _, err = s.APITokenByHash(ctx, hashOf("pb_1"))
	wantCode(t, "APITokenByHash after delete", err, paperboy.ENOTFOUND)
}

func testRateBucket(t *testing.T, s paperboy.AccountStore) {
	ctx := context.Background()
	b := paperboy.RateBucket{Burst: 2, Every: time.Minute}
	steps := []struct {
		key  string
		at   time.Duration
		want bool
	}{
		{"ip:1", 0, true},
		{"ip:1", time.Second, true},
		{"ip:1", 2 * time.Second, false},
		{"ip:2", 2 * time.Second, true}, // buckets are separate
		{"ip:1", 62 * time.Second, true},
		{"ip:1", 63 * time.Second, false},
	}
	for i, st := range steps {
		got, err := s.TakeRateToken(ctx, st.key, b, accountNow.Add(st.at))
		if err != nil {
			t.Fatalf("step %d: TakeRateToken: %v", i, err)
		}
		if got != st.want {
			t.Errorf("step %d: TakeRateToken(%s, +%v) = %v, want %v", i, st.key, st.at, got, st.want)
		}
	}
}
