package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestUserCreate(t *testing.T) {
	env := map[string]string{"PAPERBOY_DB": filepath.Join(t.TempDir(), "paperboy.db")}
	tests := []struct {
		args     []string
		code     int
		inOutput string
	}{
		{[]string{"user", "create", "--admin", "Root@Example.org"}, 0, "created admin root@example.org"},
		{[]string{"user", "create", "root@example.org"}, 1, "exists already"},
		{[]string{"user", "create", "--name", "Bob", "bob@example.org"}, 0, "created user bob@example.org"},
		{[]string{"user", "create", "bob@example.org\r\nBcc: eve@example.org"}, 1, "Enter one e-mail address"},
		{[]string{"user", "create"}, 2, "exactly one EMAIL"},
		{[]string{"user"}, 2, "usage: paperboy user create"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, env, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.inOutput) {
			t.Errorf("%v: exit %d, output %q%q; want exit %d with %q", tt.args, code, out, errOut, tt.code, tt.inOutput)
		}
	}
}
