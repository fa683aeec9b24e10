package beir

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Doc is one corpus document.
type Doc struct {
	ID    string `json:"_id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// Query is one benchmark query.
type Query struct {
	ID   string `json:"_id"`
	Text string `json:"text"`
}

// Qrels are the relevance judgements: query ID -> document ID -> grade.
type Qrels map[string]map[string]int

// Dataset is a BEIR dataset with the queries of one qrels file.
type Dataset struct {
	Corpus  []Doc
	Queries []Query // the judged queries, in qrels order
	Qrels   Qrels
}

// Load reads the BEIR dataset in dir. qrels names the judgements file,
// relative to dir or absolute; "" means qrels/test.tsv, or the only file in
// qrels/ when there is no test.tsv. corpus.jsonl and queries.jsonl may be
// gzipped (corpus.jsonl.gz). Every judged query and document must exist.
func Load(dir, qrels string) (*Dataset, error) {
	qpath, err := qrelsPath(dir, qrels)
	if err != nil {
		return nil, err
	}
	ds := &Dataset{}
	if ds.Corpus, err = readJSONL[Doc](dir, "corpus.jsonl"); err != nil {
		return nil, err
	}
	queries, err := readJSONL[Query](dir, "queries.jsonl")
	if err != nil {
		return nil, err
	}
	order, err := readQrels(qpath, ds)
	if err != nil {
		return nil, err
	}
	return ds, ds.resolve(queries, order, qpath)
}

// resolve keeps the judged queries and checks that every judged ID exists.
func (ds *Dataset) resolve(queries []Query, order []string, qpath string) error {
	byID := make(map[string]Query, len(queries))
	for _, q := range queries {
		byID[q.ID] = q
	}
	docs := make(map[string]bool, len(ds.Corpus))
	for _, d := range ds.Corpus {
		docs[d.ID] = true
	}
	for _, qid := range order {
		q, ok := byID[qid]
		if !ok {
			return fmt.Errorf("%s: query %q is not in queries.jsonl", qpath, qid)
		}
		ds.Queries = append(ds.Queries, q)
		for did := range ds.Qrels[qid] {
			if !docs[did] {
				return fmt.Errorf("%s: document %q (query %q) is not in the corpus", qpath, did, qid)
			}
		}
	}
	return nil
}

func qrelsPath(dir, qrels string) (string, error) {
	if qrels != "" {
		if filepath.IsAbs(qrels) {
			return qrels, nil
		}
		if _, err := os.Stat(qrels); err == nil && !strings.HasPrefix(qrels, "qrels") {
			return qrels, nil
		}
		return filepath.Join(dir, qrels), nil
	}
	test := filepath.Join(dir, "qrels", "test.tsv")
	if _, err := os.Stat(test); err == nil {
		return test, nil
	}
	files, _ := filepath.Glob(filepath.Join(dir, "qrels", "*.tsv"))
	if len(files) != 1 {
		return "", fmt.Errorf("%s: no qrels/test.tsv and %d other qrels files; pick one with --qrels", dir, len(files))
	}
	return files[0], nil
}

// open opens dir/name, or dir/name.gz decompressed.
func open(dir, name string) (io.ReadCloser, string, error) {
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if err == nil {
		return f, path, nil
	}
	gz, gerr := os.Open(path + ".gz")
	if gerr != nil {
		return nil, path, fmt.Errorf("open %s: %w", path, err)
	}
	zr, err := gzip.NewReader(gz)
	if err != nil {
		gz.Close()
		return nil, path + ".gz", fmt.Errorf("%s.gz: %w", path, err)
	}
	return readCloser{zr, gz}, path + ".gz", nil
}

type readCloser struct {
	io.Reader
	f *os.File
}

func (r readCloser) Close() error { return r.f.Close() }

// readJSONL reads one JSON object per line; every object needs an "_id".
func readJSONL[T interface{ Doc | Query }](dir, name string) ([]T, error) {
	rc, path, err := open(dir, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var out []T
	sc := bufio.NewScanner(rc)
	sc.Buffer(nil, 16<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if id(v) == "" {
			return nil, fmt.Errorf("%s:%d: no \"_id\"", path, line)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}

func id[T interface{ Doc | Query }](v T) string {
	switch v := any(v).(type) {
	case Doc:
		return v.ID
	case Query:
		return v.ID
	}
	return ""
}

// readQrels reads a tab-separated "query-id corpus-id score" file with a
// header line into ds.Qrels and returns its query IDs in first-seen order.
func readQrels(path string, ds *Dataset) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open qrels: %w", err)
	}
	defer f.Close()
	ds.Qrels = make(Qrels)
	var order []string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || line == 1 && strings.HasPrefix(text, "query-id") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != 3 {
			return nil, fmt.Errorf("%s:%d: want query-id, corpus-id and score, got %d fields", path, line, len(fields))
		}
		grade, err := strconv.Atoi(fields[2])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: bad score %q", path, line, fields[2])
		}
		qid := fields[0]
		if ds.Qrels[qid] == nil {
			ds.Qrels[qid] = make(map[string]int)
			order = append(order, qid)
		}
		ds.Qrels[qid][fields[1]] = grade
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("%s: no judgements", path)
	}
	return order, nil
}
