// Package community applies the rules of what people do with papers: upvote
// (once each, toggled), submit to the daily page (once per paper; a paper
// not stored yet is fetched from the arXiv API), and discuss (edit and
// delete your own comments; admins hide any). It sits between the web and
// API front-ends and a paperboy.CommunityStore; internal/trending reads
// what it writes.
package community
