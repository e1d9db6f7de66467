-- Text bulletins (issue 20), SQLite dialect (keep in step with
-- ../postgres/0010_clip_text.sql): a clip made from text by the hub's speech
-- engine keeps its text, as written (before it was made speakable), for its
-- page and the public pages. NULL: a clip uploaded as audio.
ALTER TABLE clips ADD COLUMN text TEXT;
