package community

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"paperboy"
)

// MaxSubmissionComment is the longest note a submitter may add, in
// characters.
const MaxSubmissionComment = 2000

// Submit puts the paper raw names (an arXiv ID in any form ParseArxivID
// takes, or an arxiv.org URL) on today's daily page for user, with an
// optional note. A paper the store lacks is fetched from the arXiv API
// first. A submission counts as the submitter's upvote.
//
// Returns EINVALID for input that names no arXiv paper or a note too long,
// ENOTFOUND when arXiv has no such paper, and ECONFLICT, naming who
// submitted it, for a paper submitted already: the user's upvote is
// recorded anyway, since they wanted the paper seen.
func (s *Service) Submit(ctx context.Context, user *paperboy.User, raw, comment string) (*paperboy.Submission, error) {
	id, _, err := paperboy.ParseArxivID(raw)
	if err != nil {
		return nil, err
	}
	comment = strings.TrimSpace(comment)
	if n := utf8.RuneCountInString(comment); n > MaxSubmissionComment || !utf8.ValidString(comment) {
		return nil, paperboy.Errorf(paperboy.EINVALID, "The note is %d characters long; the limit is %d.", n, MaxSubmissionComment)
	}
	if prev, err := s.store.Submission(ctx, id); err == nil {
		return nil, s.duplicate(ctx, user, prev)
	} else if paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
		return nil, err
	}
	if err := s.ensurePaper(ctx, id); err != nil {
		return nil, err
	}
	sub := &paperboy.Submission{PaperID: id, UserID: user.ID, Comment: comment, Created: s.now()}
	if err := s.store.CreateSubmission(ctx, sub); paperboy.ErrorCode(err) == paperboy.ECONFLICT {
		prev, perr := s.store.Submission(ctx, id) // someone was quicker
		if perr != nil {
			return nil, perr
		}
		return nil, s.duplicate(ctx, user, prev)
	} else if err != nil {
		return nil, err
	}
	if _, err := s.store.AddVote(ctx, paperboy.Vote{UserID: user.ID, PaperID: id, Created: sub.Created}); err != nil {
		return nil, fmt.Errorf("upvote of submission %s: %w", id, err)
	}
	sub.Submitter = user
	s.logger.InfoContext(ctx, "paper_submitted", "user_id", user.ID, "paper_id", id)
	s.changed()
	return sub, nil
}

// duplicate records user's upvote for a paper submitted already and says
// who submitted it and when.
func (s *Service) duplicate(ctx context.Context, user *paperboy.User, prev *paperboy.Submission) error {
	if added, err := s.store.AddVote(ctx, paperboy.Vote{UserID: user.ID, PaperID: prev.PaperID, Created: s.now()}); err != nil {
		return err
	} else if added {
		s.changed()
	}
	who := prev.Submitter.PublicName()
	if prev.UserID == user.ID {
		who = "you"
	}
	return paperboy.Errorf(paperboy.ECONFLICT, "Thanks! %s was already submitted by %s on %s, so your submission counts as an upvote.",
		prev.PaperID, who, prev.Created.UTC().Format("2 Jan 2006"))
}

// ensurePaper fetches a paper the store lacks from arXiv and stores it.
func (s *Service) ensurePaper(ctx context.Context, id paperboy.ArxivID) error {
	_, err := s.papers.Paper(ctx, id)
	if paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
		return err
	}
	if s.lookup == nil {
		return paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s is not in this instance, and looking papers up on arXiv is off.", id)
	}
	p, err := s.lookup(ctx, id)
	if err != nil {
		return err
	}
	if _, err := s.papers.UpsertPapers(ctx, []*paperboy.Paper{p}); err != nil {
		return fmt.Errorf("store looked-up paper %s: %w", id, err)
	}
	s.logger.InfoContext(ctx, "paper_looked_up", "paper_id", id)
	return nil
}

// Submission returns a paper's submission; ENOTFOUND if it has none.
func (s *Service) Submission(ctx context.Context, id paperboy.ArxivID) (*paperboy.Submission, error) {
	return s.store.Submission(ctx, id)
}
