-- Full-text search, content-addressed (replaces search_posts, which stored every post's text once
-- per release). A document is a post's searchable text; it is stored once, under the hash of its
-- content (`doc`), and shared by every release that has it, as KV entries are. A release is a set
-- of memberships (release, doc), so loading a release writes only the documents D1 lacks plus one
-- small row per post. See pipeline/search-sql.ts for how a release is loaded and pruned.
--
-- search_posts and search_releases (0002) stay: the Worker that is live while this migration is
-- applied still reads them until the deploy switches it. A later migration can drop them once no
-- Worker that reads them can be rolled back to.
CREATE TABLE search_docs (
  id INTEGER PRIMARY KEY,
  -- Hash of the columns below (pipeline/search-rows.ts): the same text always has the same key.
  doc TEXT NOT NULL UNIQUE,
  slug TEXT NOT NULL,
  -- ISO 8601, as in the post's front matter.
  date TEXT NOT NULL,
  -- Milliseconds since the epoch: a scheduled post is not found before this time (the Worker's clock).
  published_at INTEGER NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  tags TEXT NOT NULL,
  body TEXT NOT NULL
);

-- The trigram index over search_docs, holding no copy of the text (an external content table):
-- snippet() and bm25 read the text from search_docs by rowid. The triggers keep it in step.
CREATE VIRTUAL TABLE search_docs_index USING fts5(
  title,
  summary,
  tags,
  body,
  content = 'search_docs',
  content_rowid = 'id',
  tokenize = 'trigram'
);

CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN
  INSERT INTO search_docs_index (rowid, title, summary, tags, body)
  VALUES (new.id, new.title, new.summary, new.tags, new.body);
END;

CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
  INSERT INTO search_docs_index (search_docs_index, rowid, title, summary, tags, body)
  VALUES ('delete', old.id, old.title, old.summary, old.tags, old.body);
END;

-- Documents never change (their key is their content's hash); this keeps the index right if one is edited by hand.
CREATE TRIGGER search_docs_update AFTER UPDATE ON search_docs BEGIN
  INSERT INTO search_docs_index (search_docs_index, rowid, title, summary, tags, body)
  VALUES ('delete', old.id, old.title, old.summary, old.tags, old.body);
  INSERT INTO search_docs_index (rowid, title, summary, tags, body)
  VALUES (new.id, new.title, new.summary, new.tags, new.body);
END;

-- Which documents a release has. The foreign key makes a load that counted on a document D1 does
-- not hold fail loudly rather than leave a post out of search, and keeps a document in use from
-- being deleted.
CREATE TABLE search_release_docs (
  release TEXT NOT NULL,
  doc TEXT NOT NULL REFERENCES search_docs (doc),
  PRIMARY KEY (release, doc)
) WITHOUT ROWID;

-- The releases whose memberships are kept: the few most recently loaded.
CREATE TABLE search_loaded_releases (
  release TEXT PRIMARY KEY,
  -- Hash of the release's document keys: loading the same set again writes no membership.
  docs TEXT NOT NULL,
  -- julianday('now') when it was last loaded.
  loaded_at REAL NOT NULL
);
