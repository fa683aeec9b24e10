// Package ref is the benchmark's yardstick: an analyzer close to what the
// compared systems do (lower case, accents folded, words split at hyphens,
// English stopwords dropped but counted as positions, Snowball stems) and
// an exact, exhaustive BM25 over its tokens, computed by streaming the
// corpus once with no index at all.
package ref
