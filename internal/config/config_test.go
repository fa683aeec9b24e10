package config

import (
	"flag"
	"strings"
	"testing"
)

func TestPrecedence(t *testing.T) {
	env := map[string]string{"PAPERBOY_DB": "/env.db", "PAPERBOY_ADDR": "127.0.0.1:9000", "PAPERBOY_DEMO": "true"}
	c := Load(func(k string) string { return env[k] })
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.ServeFlags(fs)
	if err := fs.Parse([]string{"--db", "/flag.db"}); err != nil {
		t.Fatal(err)
	}
	if c.DB != "/flag.db" {
		t.Errorf("DB = %q, want the flag's /flag.db", c.DB)
	}
	if c.Addr != "127.0.0.1:9000" {
		t.Errorf("Addr = %q, want the env's 127.0.0.1:9000", c.Addr)
	}
	if !c.Demo {
		t.Errorf("Demo = false, want the env's true")
	}
	if c.LogLevel != "info" {
		t.Errorf("LogLevel = %q, want the default info", c.LogLevel)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	c := Config{DB: "", Addr: "nonsense", LogLevel: "loud", LogFormat: "xml"}
	err := c.Validate()
	if err == nil {
		t.Fatal("Validate: got nil, want errors")
	}
	for _, want := range []string{"db:", "addr:", "log-level:", "log-format:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error %q does not mention %q", err, want)
		}
	}
	if err := Default().Validate(); err != nil {
		t.Errorf("Default().Validate() = %v, want nil", err)
	}
}
