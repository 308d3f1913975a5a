-- 025: what a source's licence asks us to say wherever its data is shown
-- ("Contains data from ALISS (aliss.org), licensed under CC BY 4.0"):
-- the service page of each listing imported from it says it.
ALTER TABLE import_source
    ADD COLUMN attribution text CHECK (char_length(attribution) <= 500);
