package community

import (
	"context"
	"strings"
	"unicode/utf8"

	"paperboy"
)

// MaxCommentLen is the longest comment, in characters.
const MaxCommentLen = 10000

// checkBody trims a comment body and returns EINVALID if it is empty or too
// long.
func checkBody(body string) (string, error) {
	body = strings.TrimSpace(body)
	n := utf8.RuneCountInString(body)
	switch {
	case n == 0:
		return "", paperboy.Errorf(paperboy.EINVALID, "Write something first: the comment is empty.")
	case n > MaxCommentLen, !utf8.ValidString(body):
		return "", paperboy.Errorf(paperboy.EINVALID, "The comment is %d characters long; the limit is %d.", n, MaxCommentLen)
	}
	return body, nil
}

// AddComment adds user's comment to a paper's thread. Returns EINVALID for
// an empty or overlong body, ENOTFOUND for an unknown paper.
func (s *Service) AddComment(ctx context.Context, user *paperboy.User, id paperboy.ArxivID, body string) (*paperboy.Comment, error) {
	body, err := checkBody(body)
	if err != nil {
		return nil, err
	}
	c := &paperboy.Comment{PaperID: id, UserID: user.ID, Body: body, Created: s.now(), Author: user}
	if err := s.store.CreateComment(ctx, c); paperboy.ErrorCode(err) == paperboy.ENOTFOUND {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s not found.", id)
	} else if err != nil {
		return nil, err
	}
	s.logger.InfoContext(ctx, "comment_added", "user_id", user.ID, "paper_id", id, "comment_id", c.ID)
	return c, nil
}

// own returns the comment if user wrote it; EFORBIDDEN otherwise, and
// ENOTFOUND if there is no such comment.
func (s *Service) own(ctx context.Context, user *paperboy.User, commentID int64) (*paperboy.Comment, error) {
	c, err := s.store.Comment(ctx, commentID)
	if err != nil {
		return nil, err
	}
	if c.UserID != user.ID {
		return nil, paperboy.Errorf(paperboy.EFORBIDDEN, "You can only change your own comments.")
	}
	return c, nil
}

// EditComment replaces the body of user's own comment. Returns EFORBIDDEN
// for someone else's comment (admins included: they hide, they do not
// rewrite), EFORBIDDEN for a comment an admin hid, ENOTFOUND if there is
// none, EINVALID for a bad body.
func (s *Service) EditComment(ctx context.Context, user *paperboy.User, commentID int64, body string) (*paperboy.Comment, error) {
	body, err := checkBody(body)
	if err != nil {
		return nil, err
	}
	c, err := s.own(ctx, user, commentID)
	if err != nil {
		return nil, err
	}
	if c.Hidden {
		return nil, paperboy.Errorf(paperboy.EFORBIDDEN, "An admin hid this comment, so it cannot be edited.")
	}
	c.Edited = s.now()
	if err := s.store.EditComment(ctx, c.ID, body, c.Edited); err != nil {
		return nil, err
	}
	c.Body = body
	s.logger.InfoContext(ctx, "comment_edited", "user_id", user.ID, "comment_id", c.ID)
	return c, nil
}

// DeleteComment deletes user's own comment and returns it. Returns
// EFORBIDDEN for someone else's comment, ENOTFOUND if there is none.
func (s *Service) DeleteComment(ctx context.Context, user *paperboy.User, commentID int64) (*paperboy.Comment, error) {
	c, err := s.own(ctx, user, commentID)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteComment(ctx, c.ID); err != nil {
		return nil, err
	}
	s.logger.InfoContext(ctx, "comment_deleted", "user_id", user.ID, "comment_id", c.ID)
	return c, nil
}

// HideComment hides any comment (or shows it again, with hidden false).
// Returns EFORBIDDEN unless user is an admin, ENOTFOUND if there is no such
// comment.
func (s *Service) HideComment(ctx context.Context, user *paperboy.User, commentID int64, hidden bool) (*paperboy.Comment, error) {
	if !user.Admin {
		return nil, paperboy.Errorf(paperboy.EFORBIDDEN, "Only admins can hide comments.")
	}
	c, err := s.store.Comment(ctx, commentID)
	if err != nil {
		return nil, err
	}
	if err := s.store.HideComment(ctx, commentID, hidden, user.ID); err != nil {
		return nil, err
	}
	s.logger.InfoContext(ctx, "comment_hidden", "user_id", user.ID, "comment_id", commentID, "hidden", hidden)
	return c, nil
}

// Comments returns a paper's thread, oldest first, hidden comments
// included: the front-ends show "hidden by an admin" in their place.
func (s *Service) Comments(ctx context.Context, id paperboy.ArxivID) ([]*paperboy.Comment, error) {
	return s.store.Comments(ctx, id)
}

// OwnComment returns user's own comment, for its edit form. Returns
// EFORBIDDEN for someone else's, ENOTFOUND if there is none.
func (s *Service) OwnComment(ctx context.Context, user *paperboy.User, commentID int64) (*paperboy.Comment, error) {
	return s.own(ctx, user, commentID)
}
