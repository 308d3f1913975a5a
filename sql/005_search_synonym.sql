-- 005: search synonyms.  People type "debt" and mean the services filed
-- under Money; they type "lonely" and want befriending.
--
-- Storage: every ordered pair within a group, both directions, and no
-- term paired with itself.  To expand a query word:
--     SELECT synonym FROM search_synonym WHERE term = lower($1)
-- (add the word itself).  Terms are lower case, single-spaced phrases;
-- multi-word terms ("food bank") are matched as phrases by the caller.
-- To add a group, add rows to the VALUES list in a new migration the same
-- way; adding one word to an existing group means pairing it with every
-- member of that group, in both directions.

CREATE TABLE search_synonym (
	term		text NOT NULL CHECK (term ~ '^[a-z0-9]+( [a-z0-9]+)*$'),
	synonym		text NOT NULL CHECK (synonym ~
			    '^[a-z0-9]+( [a-z0-9]+)*$'),
	PRIMARY KEY (term, synonym),
	CONSTRAINT search_synonym_distinct_check CHECK (term <> synonym)
);

INSERT INTO search_synonym (term, synonym)
WITH grp (g, word) AS (VALUES
	(1, 'money'), (1, 'debt'), (1, 'benefits'),
	(2, 'food bank'), (2, 'foodbank'), (2, 'food parcel'),
	(3, 'walk'), (3, 'walking'), (3, 'health walk'),
	(4, 'lonely'), (4, 'loneliness'), (4, 'isolation'),
	(4, 'befriending'), (4, 'social')
)
SELECT a.word, b.word
FROM grp a
JOIN grp b ON a.g = b.g AND a.word <> b.word
ORDER BY 1, 2;
