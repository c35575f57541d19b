-- Search documents made from the rendered article (no Markdown, no code blocks), with the post's
-- language and its hyphenated words folded (`K-pop` -> `kpop`, src/search/fold.ts) so a query for
-- `kpop` finds `K-pop` although a trigram index matches characters as written. See docs/search.md.
--
-- The tables change in place, so a Worker of an older release (a rollback) still reads them: it
-- selects only the columns 0003 made, and its documents (older keys, kept as long as its release is
-- one of the 3 most recently loaded) are still in the rebuilt index. Its loader names its columns,
-- so the new ones take their defaults there.
ALTER TABLE search_docs ADD COLUMN lang TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN title_compounds TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN compounds TEXT NOT NULL DEFAULT '';

DROP TRIGGER search_docs_insert;
DROP TRIGGER search_docs_delete;
DROP TRIGGER search_docs_update;
DROP TABLE search_docs_index;

-- The trigram index over search_docs, now with the folded hyphenated words: external content, as
-- in 0003 (no second copy of the text). Column order matters to bm25's weights (src/search/store.ts).
CREATE VIRTUAL TABLE search_docs_index USING fts5(
  title,
  summary,
  tags,
  body,
  title_compounds,
  compounds,
  content = 'search_docs',
  content_rowid = 'id',
  tokenize = 'trigram'
);

INSERT INTO search_docs_index (search_docs_index) VALUES ('rebuild');

CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN
  INSERT INTO search_docs_index (rowid, title, summary, tags, body, title_compounds, compounds)
  VALUES (new.id, new.title, new.summary, new.tags, new.body, new.title_compounds, new.compounds);
END;

CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
  INSERT INTO search_docs_index (search_docs_index, rowid, title, summary, tags, body, title_compounds, compounds)
  VALUES ('delete', old.id, old.title, old.summary, old.tags, old.body, old.title_compounds, old.compounds);
END;

-- Documents never change (their key is their content's hash); this keeps the index right if one is edited by hand.
CREATE TRIGGER search_docs_update AFTER UPDATE ON search_docs BEGIN
  INSERT INTO search_docs_index (search_docs_index, rowid, title, summary, tags, body, title_compounds, compounds)
  VALUES ('delete', old.id, old.title, old.summary, old.tags, old.body, old.title_compounds, old.compounds);
  INSERT INTO search_docs_index (rowid, title, summary, tags, body, title_compounds, compounds)
  VALUES (new.id, new.title, new.summary, new.tags, new.body, new.title_compounds, new.compounds);
END;
