-- A spelling a secretary merged into another unit is written as that unit's name wherever a
-- member or a roster row brings it in later (enrollment, an edit, a roster import).
CREATE TRIGGER members_unit_spelling_insert AFTER INSERT ON members
WHEN EXISTS (SELECT 1 FROM units WHERE community_id = NEW.community_id
             AND name = NEW.work_unit AND merged_into IS NOT NULL)
BEGIN
    UPDATE members SET work_unit = (SELECT t.name FROM units s JOIN units t ON t.id = s.merged_into
        WHERE s.community_id = NEW.community_id AND s.name = NEW.work_unit) WHERE id = NEW.id;
END;
CREATE TRIGGER members_unit_spelling_update AFTER UPDATE OF work_unit ON members
WHEN EXISTS (SELECT 1 FROM units WHERE community_id = NEW.community_id
             AND name = NEW.work_unit AND merged_into IS NOT NULL)
BEGIN
    UPDATE members SET work_unit = (SELECT t.name FROM units s JOIN units t ON t.id = s.merged_into
        WHERE s.community_id = NEW.community_id AND s.name = NEW.work_unit) WHERE id = NEW.id;
END;
CREATE TRIGGER roster_unit_spelling_insert AFTER INSERT ON roster_entries
WHEN EXISTS (SELECT 1 FROM units WHERE community_id = NEW.community_id
             AND name = NEW.work_unit AND merged_into IS NOT NULL)
BEGIN
    UPDATE roster_entries SET work_unit = (SELECT t.name FROM units s
        JOIN units t ON t.id = s.merged_into
        WHERE s.community_id = NEW.community_id AND s.name = NEW.work_unit) WHERE id = NEW.id;
END;
CREATE TRIGGER roster_unit_spelling_update AFTER UPDATE OF work_unit ON roster_entries
WHEN EXISTS (SELECT 1 FROM units WHERE community_id = NEW.community_id
             AND name = NEW.work_unit AND merged_into IS NOT NULL)
BEGIN
    UPDATE roster_entries SET work_unit = (SELECT t.name FROM units s
        JOIN units t ON t.id = s.merged_into
        WHERE s.community_id = NEW.community_id AND s.name = NEW.work_unit) WHERE id = NEW.id;
END;
