-- Reader comments. Rows are never removed: moderation only changes `status`, so a reply never
-- loses its parent row and every success a commenter saw stays on record.
CREATE TABLE comments (
  id INTEGER PRIMARY KEY,
  post_slug TEXT NOT NULL,
  -- The comment this one replies to (same post), NULL for a top-level comment.
  parent_id INTEGER REFERENCES comments (id),
  -- The top-level comment of the thread, NULL for a top-level comment itself.
  root_id INTEGER REFERENCES comments (id),
  -- The thread: the id of its top-level comment.
  thread_id INTEGER GENERATED ALWAYS AS (coalesce(root_id, id)) VIRTUAL,
  -- Display order: newest thread first (so a new comment is on the first page), each thread's
  -- comments oldest first. Negated so that one ascending index range reads a page in that order.
  thread_key INTEGER GENERATED ALWAYS AS (-coalesce(root_id, id)) VIRTUAL,
  depth INTEGER NOT NULL DEFAULT 0 CHECK (depth >= 0),
  author TEXT NOT NULL CHECK (length(author) BETWEEN 1 AND 80),
  body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  status TEXT NOT NULL CHECK (status IN ('published', 'pending', 'spam', 'deleted')),
  -- Milliseconds since the epoch (UTC).
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  -- HMAC-SHA-256 of the commenter's IP with a secret salt: never the IP itself.
  ip_hash TEXT NOT NULL,
  -- HMAC of the random token in the commenter's signed cookie: lets them see their own held comments.
  author_hash TEXT NOT NULL,
  -- Hash of the Idempotency-Key (API) or of the form token plus content (form): a retry finds the first row.
  idempotency_key TEXT UNIQUE,
  -- Hash of what was posted, to tell a retry from a different request reusing the same key.
  request_hash TEXT
);

-- The article page and GET /posts/:slug/comments: one post's published comments in thread order.
CREATE INDEX comments_by_post ON comments (post_slug, status, thread_key, id);
-- A commenter's own comments on a post (their held ones are shown to them).
CREATE INDEX comments_by_author ON comments (author_hash, post_slug, thread_key, id);
-- The admin lists: by status, oldest or newest first.
CREATE INDEX comments_by_status ON comments (status, id);

-- Per-post state of the visible (published) comments, kept by triggers so that counts on list
-- pages and the comments "version" a cache key needs are one-row reads, whatever the post holds.
CREATE TABLE comment_stats (
  post_slug TEXT PRIMARY KEY,
  published INTEGER NOT NULL DEFAULT 0,
  -- Bumped on every change to the set of visible comments (new, approved, removed).
  version INTEGER NOT NULL DEFAULT 0,
  changed_at INTEGER NOT NULL
);

CREATE TRIGGER comments_stats_after_insert AFTER INSERT ON comments WHEN NEW.status = 'published'
BEGIN
  INSERT INTO comment_stats (post_slug, published, version, changed_at) VALUES (NEW.post_slug, 1, 1, NEW.updated_at)
  ON CONFLICT (post_slug) DO UPDATE SET published = published + 1, version = version + 1, changed_at = excluded.changed_at;
END;

CREATE TRIGGER comments_stats_after_status AFTER UPDATE OF status ON comments
WHEN (OLD.status = 'published') <> (NEW.status = 'published')
BEGIN
  INSERT INTO comment_stats (post_slug, published, version, changed_at)
  VALUES (NEW.post_slug, CASE WHEN NEW.status = 'published' THEN 1 ELSE 0 END, 1, NEW.updated_at)
  ON CONFLICT (post_slug) DO UPDATE SET
    published = published + CASE WHEN NEW.status = 'published' THEN 1 ELSE -1 END,
    version = version + 1,
    changed_at = excluded.changed_at;
END;
