-- gen-queue.sql: the moderators' queue for `scripts/bench admin`: 10 000
-- pending new-listing submissions and 200 open problem reports, on a
-- benchmark cluster only (it empties the submission table first).  Run
-- with psql -v ON_ERROR_STOP=1 -v doc="$(cat scripts/bench.d/listing.json)".
--
-- Each submission is the walking-group document /submit builds
-- (scripts/bench.d/listing.json, captured from the server), with its own
-- organisation and service name, a venue at a real Greater Glasgow
-- postcode, and one of three kinds; one every ~50 s over the last six
-- days, so pages are in created_at order as in life.  Deterministic: the
-- choices are hashes of the row number.

\set ON_ERROR_STOP 1
BEGIN;
DELETE FROM submission;
DELETE FROM problem_report WHERE details LIKE 'bench: %';

CREATE TEMPORARY TABLE bench_pc ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY md5(postcode)) AS n, postcode
FROM postcode WHERE health_board_code = 'S08000031'
ORDER BY md5(postcode) LIMIT 5000;

INSERT INTO submission (kind, document, submitter_ip, created_at,
    updated_at)
SELECT 'new', d.doc, '198.51.100.' || (g % 250 + 1), t.at, t.at
FROM generate_series(1, 10000) g
CROSS JOIN LATERAL (SELECT now() - (10001 - g) * interval '50 seconds'
    AS at) t
JOIN bench_pc p ON p.n = 1 + g % 5000
CROSS JOIN LATERAL (SELECT jsonb_set(jsonb_set(jsonb_set(jsonb_set(
    :'doc'::jsonb,
    '{organization,name}', to_jsonb('Community group ' || g)),
    '{service,name}', to_jsonb((ARRAY['Health walk', 'Lunch club',
	'Chair exercise'])[1 + g % 3] || ' at ' || p.postcode)),
    '{venues,0,postcode}', to_jsonb(p.postcode)),
    '{service,kind}', to_jsonb((ARRAY['walking_group', 'activity',
	'activity'])[1 + g % 3])) AS doc) d;

INSERT INTO problem_report (service_id, problem, details, created_at)
SELECT s.id, (ARRAY['closed', 'wrong_time', 'wrong_contact', 'other'])
    [1 + g % 4], 'bench: the times on the page are out of date',
    now() - (201 - g) * interval '40 minutes'
FROM generate_series(1, 200) g
JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM service) s
    ON s.n = 1 + g % (SELECT count(*) FROM service);
COMMIT;
ANALYZE submission;
ANALYZE problem_report;

SELECT format('gen-queue: %s pending submissions, %s open problem reports',
    (SELECT count(*) FROM submission WHERE status = 'pending'),
    (SELECT count(*) FROM problem_report WHERE status = 'open'));
