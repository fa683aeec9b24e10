// Package web is paperboy's HTML front-end: the daily, paper and search pages
// rendered with html/template over the paperboy.PaperStore and
// paperboy.Searcher services. Templates and static assets are embedded and
// parsed once in New. Handlers return errors; internal/server maps them to
// statuses and calls RenderError, so the error policy lives in one place.
package web
