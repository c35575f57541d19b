-- Full-text search (GET /search). The build writes the rows (dist/search.sql) and the deploy loads
-- them before the Worker switch. Rows belong to a release and the Worker reads only its own, so
-- loading a new release's rows never changes what the live Worker finds, and a rollback to one of
-- the last few releases finds its rows again. The trigram tokenizer indexes every 3-character
-- substring, so Korean (no spaces between particles and words) is searchable by any part of a word.
CREATE VIRTUAL TABLE search_posts USING fts5(
  title,
  summary,
  tags,
  body,
  slug UNINDEXED,
  -- ISO 8601, as in the post's front matter.
  date UNINDEXED,
  -- Milliseconds since the epoch: a scheduled post is not found before this time (the Worker's clock).
  published_at UNINDEXED,
  release UNINDEXED,
  tokenize = 'trigram'
);

-- The releases whose rows are kept: the few most recently loaded (see pipeline/search-rows.ts).
CREATE TABLE search_releases (
  release TEXT PRIMARY KEY,
  -- julianday('now') when its rows were loaded.
  loaded_at REAL NOT NULL
);
