-- The document of a published listing (sql/011 says what a document is):
-- what the forms load, what a submission is compared with, and what
-- history records.  Sessions in the order the group gave them (sql/018).
-- listing_documents() gives many at once (an import's history entries,
-- one statement for a batch: 0.08 ms a listing against 0.13 one by one,
-- measured on 100 000); listing_document() is a batch of one.  The one is
-- SQL so that it is inlined where it is called, and planned for the ids
-- it is given (as PL/pgSQL its one kept plan, made for any number of ids,
-- scanned every organisation: four times slower for one listing).
-- listing_document() is PL/pgSQL: its plan is kept for the session
-- instead of made at every call (a third of its time, measured on 2 000).
CREATE OR REPLACE FUNCTION listing_documents(p_services uuid[])
RETURNS TABLE (id uuid, doc jsonb)
LANGUAGE sql STABLE AS $$
	SELECT s.id, jsonb_build_object(
	    'organization', organization_document(o.id),
	    'service', jsonb_build_object(
		'name', s.name, 'kind', s.kind, 'description', s.description,
		'categories', coalesce((SELECT jsonb_agg(t.slug ORDER BY t.slug COLLATE "C")
		    FROM service_taxonomy st
		    JOIN taxonomy_term t ON t.id = st.taxonomy_term_id
		    WHERE st.service_id = s.id), '[]'::jsonb),
		'eligibility', s.eligibility_description,
		'minimum_age', s.minimum_age, 'maximum_age', s.maximum_age,
		'is_free', s.is_free, 'cost', s.cost_description,
		'self_referral', s.self_referral,
		'professional_referral', s.professional_referral,
		'drop_in', s.drop_in, 'booking_required', s.booking_required,
		'referral', s.referral_description, 'email', s.email,
		'phone', (SELECT min(p.number) FROM phone p
		    WHERE p.service_id = s.id),
		'website', s.url,
		'languages', coalesce((SELECT jsonb_agg(coalesce(l.name, l.code)
		    ORDER BY coalesce(l.name, l.code) COLLATE "C") FROM language l
		    WHERE l.service_id = s.id), '[]'::jsonb),
		'areas', coalesce((SELECT jsonb_agg(DISTINCT
		    sa.area_code COLLATE "C" ORDER BY sa.area_code COLLATE "C")
		    FROM service_area sa WHERE sa.service_id = s.id),
		    '[]'::jsonb)),
	    'venues', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'name', l.name, 'address', l.address_1, 'city', l.city,
		'postcode', l.postal_code, 'hide_address', l.address_hidden,
		'accessibility', (SELECT string_agg(a.description, '; '
		    ORDER BY a.description) FROM accessibility a
		    WHERE a.location_id = l.id))
		ORDER BY sal.position NULLS LAST, l.name, l.id)
		FROM service_at_location sal
		JOIN location l ON l.id = sal.location_id
		WHERE sal.service_id = s.id), '[]'::jsonb),
	    'sessions', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'venue', v.n, 'freq', sch.freq, 'interval', sch."interval",
		'byday', sch.byday,
		'opens_at', to_char(sch.opens_at, 'HH24:MI'),
		'closes_at', to_char(sch.closes_at, 'HH24:MI'),
		'valid_from', sch.valid_from, 'valid_to', sch.valid_to)
		ORDER BY sch.seq)
		FROM schedule sch
		JOIN (SELECT sal.id, row_number() OVER (ORDER BY
		    sal.position NULLS LAST, l.name, l.id) AS n
		    FROM service_at_location sal
		    JOIN location l ON l.id = sal.location_id
		    WHERE sal.service_id = s.id) v
		    ON v.id = sch.service_at_location_id), '[]'::jsonb),
	    'walk', (SELECT jsonb_build_object('grade', w.grade,
		'length_km', trim_scale(w.length_km)::text,
		'duration_minutes', w.duration_minutes,
		'terrain', w.terrain, 'meeting_point', w.meeting_point)
		FROM walk_detail w WHERE w.service_id = s.id),
	    'contact_email', s.review_email)
	FROM service s
	JOIN organization o ON o.id = s.organization_id
	WHERE s.id = ANY (p_services)
$$;

CREATE OR REPLACE FUNCTION listing_document(p_service uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT d.doc FROM listing_documents(ARRAY[p_service]) d);
END;
$$;
