package community

import (
	"context"

	"paperboy"
)

// Upvote gives the user's upvote to a paper; a second upvote changes
// nothing, so a double click counts once. It returns the paper's count.
// Returns ENOTFOUND for an unknown paper.
func (s *Service) Upvote(ctx context.Context, user *paperboy.User, id paperboy.ArxivID) (paperboy.VoteCount, error) {
	added, err := s.store.AddVote(ctx, paperboy.Vote{UserID: user.ID, PaperID: id, Created: s.now()})
	if paperboy.ErrorCode(err) == paperboy.ENOTFOUND {
		return paperboy.VoteCount{}, paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s not found.", id)
	} else if err != nil {
		return paperboy.VoteCount{}, err
	}
	if added {
		s.logger.InfoContext(ctx, "upvote_added", "user_id", user.ID, "paper_id", id)
		s.changed()
	}
	return s.count(ctx, user, id)
}

// Unvote takes the user's upvote back, if any, and returns the paper's
// count. Returns ENOTFOUND for an unknown paper.
func (s *Service) Unvote(ctx context.Context, user *paperboy.User, id paperboy.ArxivID) (paperboy.VoteCount, error) {
	if _, err := s.papers.Paper(ctx, id); err != nil {
		return paperboy.VoteCount{}, err
	}
	removed, err := s.store.RemoveVote(ctx, user.ID, id)
	if err != nil {
		return paperboy.VoteCount{}, err
	}
	if removed {
		s.logger.InfoContext(ctx, "upvote_removed", "user_id", user.ID, "paper_id", id)
		s.changed()
	}
	return s.count(ctx, user, id)
}

func (s *Service) count(ctx context.Context, user *paperboy.User, id paperboy.ArxivID) (paperboy.VoteCount, error) {
	counts, err := s.store.VoteCounts(ctx, []paperboy.ArxivID{id}, user.ID)
	return counts[id], err
}
