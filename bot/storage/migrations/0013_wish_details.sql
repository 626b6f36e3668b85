-- A wish's compound and photo (the guided /wish), the claimant's photo as proof, and an
-- index for the work units' queries (members of one unit).
ALTER TABLE wishes ADD COLUMN compound TEXT NOT NULL DEFAULT '';
ALTER TABLE wishes ADD COLUMN photo_file_id TEXT;
ALTER TABLE wishes ADD COLUMN proof_file_id TEXT;
CREATE INDEX members_unit ON members(community_id, work_unit);
