package trending

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"paperboy"
)

// RowError is one input row ParseSignals skipped.
type RowError struct {
	Line int // 1-based line where the row starts
	Err  string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Err) }

// maxSignalFile bounds what ParseSignals reads.
const maxSignalFile = 256 << 20

// ParseSignals reads external signals in either of two shapes, told apart
// by the first character:
//
//   - JSON ("[" ...): an array in the Hugging Face daily-papers shape, each
//     item {"paper": {"id", "upvotes", "githubRepo", "githubStars"}} (a bare
//     paper object works too). upvotes become SignalExternalUpvotes and
//     githubStars SignalGitHubStars (Ref: githubRepo), observed at now;
//   - CSV: rows arxiv_id,signal,value,observed_at, with an optional header
//     row; observed_at is RFC 3339 or YYYY-MM-DD (UTC midnight); signal is
//     github_stars or upvotes.
//
// Malformed rows are skipped and returned as RowErrors with their line;
// the error is for input that is neither shape at all.
func ParseSignals(r io.Reader, now time.Time) ([]paperboy.Signal, []RowError, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSignalFile+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > maxSignalFile {
		return nil, nil, paperboy.Errorf(paperboy.EINVALID, "The signals file is larger than %d MiB.", maxSignalFile>>20)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return parseJSONSignals(data, now.UTC().Truncate(time.Second))
	}
	return parseCSVSignals(data)
}

type hfItem struct {
	Paper *hfPaper `json:"paper"`
	hfPaper
}

type hfPaper struct {
	ID          string   `json:"id"`
	Upvotes     *float64 `json:"upvotes"`
	GitHubRepo  string   `json:"githubRepo"`
	GitHubStars *float64 `json:"githubStars"`
}

func parseJSONSignals(data []byte, now time.Time) ([]paperboy.Signal, []RowError, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return nil, nil, paperboy.Errorf(paperboy.EINVALID, "The signals file is not a JSON array: %v.", err)
	}
	var out []paperboy.Signal
	var bad []RowError
	for dec.More() {
		line := lineAt(data, dec.InputOffset())
		var item hfItem
		if err := dec.Decode(&item); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				return out, append(bad, RowError{Line: line, Err: "malformed JSON: " + err.Error()}), nil
			}
			bad = append(bad, RowError{Line: line, Err: fmt.Sprintf("field %s: wrong type", te.Field)})
			continue
		}
		p := item.Paper
		if p == nil {
			p = &item.hfPaper
		}
		sigs, err := p.signals(now)
		if err != nil {
			bad = append(bad, RowError{Line: line, Err: err.Error()})
			continue
		}
		out = append(out, sigs...)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
		bad = append(bad, RowError{Line: lineAt(data, dec.InputOffset()), Err: "malformed JSON: the array does not end with ]"})
	}
	return out, bad, nil
}

func (p *hfPaper) signals(now time.Time) ([]paperboy.Signal, error) {
	id, _, err := paperboy.ParseArxivID(p.ID)
	if err != nil {
		return nil, fmt.Errorf("paper id: %s", paperboy.ErrorMessage(err))
	}
	var out []paperboy.Signal
	if p.Upvotes != nil {
		out = append(out, paperboy.Signal{PaperID: id, Name: paperboy.SignalExternalUpvotes, Value: *p.Upvotes, Observed: now})
	}
	if p.GitHubStars != nil {
		out = append(out, paperboy.Signal{PaperID: id, Name: paperboy.SignalGitHubStars, Value: *p.GitHubStars, Ref: p.GitHubRepo, Observed: now})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("paper %s has neither upvotes nor githubStars", id)
	}
	return out, nil
}

// lineAt is the 1-based line of byte offset off, skipping the separators
// before the value there.
func lineAt(data []byte, off int64) int {
	rest := data[off:]
	skip := len(rest) - len(bytes.TrimLeft(rest, " \t\r\n,"))
	return bytes.Count(data[:int(off)+skip], []byte("\n")) + 1
}

func parseCSVSignals(data []byte) ([]paperboy.Signal, []RowError, error) {
	cr := csv.NewReader(bufio.NewReader(bytes.NewReader(data)))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var out []paperboy.Signal
	var bad []RowError
	for first := true; ; first = false {
		rec, err := cr.Read()
		line, _ := cr.FieldPos(0)
		if errors.Is(err, io.EOF) {
			return out, bad, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, RowError{Line: pe.StartLine, Err: pe.Err.Error()})
				continue
			}
			return out, bad, err
		}
		if first && len(rec) > 0 && strings.TrimPrefix(strings.TrimSpace(rec[0]), "\ufeff") == "arxiv_id" {
			continue
		}
		sg, err := csvSignal(rec)
		if err != nil {
			bad = append(bad, RowError{Line: line, Err: err.Error()})
			continue
		}
		out = append(out, sg)
	}
}

func csvSignal(rec []string) (paperboy.Signal, error) {
	if len(rec) != 4 {
		return paperboy.Signal{}, fmt.Errorf("%d fields, want 4: arxiv_id,signal,value,observed_at", len(rec))
	}
	id, _, err := paperboy.ParseArxivID(rec[0])
	if err != nil {
		return paperboy.Signal{}, fmt.Errorf("arxiv_id: %s", paperboy.ErrorMessage(err))
	}
	name := strings.TrimSpace(rec[1])
	if name != paperboy.SignalGitHubStars && name != paperboy.SignalExternalUpvotes {
		return paperboy.Signal{}, fmt.Errorf("signal %q: want github_stars or upvotes", name)
	}
	value, err := strconv.ParseFloat(strings.TrimSpace(rec[2]), 64)
	if err != nil || value < 0 || value != value {
		return paperboy.Signal{}, fmt.Errorf("value %q is not a number from 0", rec[2])
	}
	at, err := parseObserved(strings.TrimSpace(rec[3]))
	if err != nil {
		return paperboy.Signal{}, err
	}
	return paperboy.Signal{PaperID: id, Name: name, Value: value, Observed: at}, nil
}

func parseObserved(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Truncate(time.Second), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("observed_at %q: want RFC 3339 (2025-03-01T09:00:00Z) or YYYY-MM-DD", s)
}
