package paperboy

import "testing"

func TestParsePublicName(t *testing.T) {
	tests := []struct {
		in   string
		id   int64
		name string
	}{
		{"user-7", 7, ""},
		{"User-7", 7, ""},
		{"USER-42", 42, ""},
		{"uSeR-9223372036854775807", 9223372036854775807, ""},
		{"Ada", 0, "Ada"},
		{"user-", 0, "user-"},
		{"user-07", 0, "user-07"}, // PublicName never writes a leading zero
		{"user-+7", 0, "user-+7"}, // nor a sign
		{"user-0", 0, "user-0"},   // nor ID 0
		{"user--7", 0, "user--7"},
		{"user-7x", 0, "user-7x"},
		{"user-7 ", 0, "user-7 "},
		{"user-99999999999999999999", 0, "user-99999999999999999999"}, // overflows int64
		{"users-7", 0, "users-7"},
		{"", 0, ""},
	}
	for _, tt := range tests {
		id, name := ParsePublicName(tt.in)
		if id != tt.id || name != tt.name {
			t.Errorf("ParsePublicName(%q) = %d, %q; want %d, %q", tt.in, id, name, tt.id, tt.name)
		}
	}
	// Round trip: what PublicName writes for a user without a name reads back.
	for _, id := range []int64{1, 10, 123456789} {
		u := &User{ID: id}
		if got, name := ParsePublicName(u.PublicName()); got != id || name != "" {
			t.Errorf("ParsePublicName(%q) = %d, %q; want %d", u.PublicName(), got, name, id)
		}
	}
}
