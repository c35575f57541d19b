-- Commenters fix their words, the owner's badge, likes (issue 16). Forward-only, additive:
-- new columns with defaults, new tables, new triggers; no row of `comments` is removed or rewritten.

-- When the commenter last edited the comment (ms since the epoch), NULL if never: the "edited" mark.
ALTER TABLE comments ADD COLUMN edited_at INTEGER;
-- SHA-256 of the per-comment token an API client got once in the 201 answer; the token itself is never stored.
ALTER TABLE comments ADD COLUMN token_hash TEXT;
-- 1 when the site owner wrote it while signed in to /admin: set by the server only, never from input.
ALTER TABLE comments ADD COLUMN by_owner INTEGER NOT NULL DEFAULT 0 CHECK (by_owner IN (0, 1));
-- Likes, kept by the comment_likes triggers below.
ALTER TABLE comments ADD COLUMN likes INTEGER NOT NULL DEFAULT 0 CHECK (likes >= 0);

-- Every earlier text of an edited comment, oldest first: rows are never removed (the admin reads them).
CREATE TABLE comment_versions (
  id INTEGER PRIMARY KEY,
  comment_id INTEGER NOT NULL REFERENCES comments (id),
  author TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  -- When this text was replaced (ms since the epoch).
  replaced_at INTEGER NOT NULL
);
CREATE INDEX comment_versions_by_comment ON comment_versions (comment_id, id);

-- Kept by a trigger, so no edit can change a comment's text without its earlier text on record.
CREATE TRIGGER comments_keep_version AFTER UPDATE OF author, body ON comments
WHEN OLD.author <> NEW.author OR OLD.body <> NEW.body
BEGIN
  INSERT INTO comment_versions (comment_id, author, body, status, replaced_at)
  VALUES (OLD.id, OLD.author, OLD.body, OLD.status, NEW.updated_at);
END;

-- An edit of a published comment that stays published changes what readers see: a new version
-- of the post's comments (pages and ETags follow it), as a new comment does.
CREATE TRIGGER comments_stats_after_edit AFTER UPDATE OF author, body ON comments
WHEN OLD.status = 'published' AND NEW.status = 'published' AND (OLD.author <> NEW.author OR OLD.body <> NEW.body)
BEGIN
  UPDATE comment_stats SET version = version + 1, changed_at = NEW.updated_at WHERE post_slug = NEW.post_slug;
END;

-- One like per reader per comment: `reader` is "a:" + the commenter cookie's author hash, or
-- "ip:" + the IP hash for a reader without one (never the IP itself).
CREATE TABLE comment_likes (
  comment_id INTEGER NOT NULL REFERENCES comments (id),
  reader TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (comment_id, reader)
) WITHOUT ROWID;

CREATE TRIGGER comment_likes_after_insert AFTER INSERT ON comment_likes
BEGIN
  UPDATE comments SET likes = likes + 1 WHERE id = NEW.comment_id;
  UPDATE comment_stats SET version = version + 1, changed_at = NEW.created_at
  WHERE post_slug = (SELECT post_slug FROM comments WHERE id = NEW.comment_id);
END;

-- The site's recent comments feed: published comments, newest first, is comments_by_status.
-- A post's comment feed (newest first) and one thread's: read by index ranges, not by sorting the post.
CREATE INDEX comments_by_post_recent ON comments (post_slug, status, id);
CREATE INDEX comments_by_root ON comments (root_id, status, id);
-- The "best" order of a post's threads: most liked first, then newest.
CREATE INDEX comments_by_likes ON comments (post_slug, status, root_id, likes, id);
