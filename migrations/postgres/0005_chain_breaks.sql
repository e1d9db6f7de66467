-- As-run chain breaks that an admin acknowledged (issue 11), PostgreSQL dialect
-- (keep in step with ../sqlite/0005_chain_breaks.sql). A break stays on
-- record for good; `resumed_hash` is the first line the hub took after it.
ALTER TABLE stations ADD COLUMN chain_break_at BIGINT;
ALTER TABLE stations ADD COLUMN asrun_resume BIGINT NOT NULL DEFAULT 0;
CREATE TABLE asrun_breaks (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station TEXT NOT NULL REFERENCES stations(id),
    reason TEXT NOT NULL,
    -- the lines in doubt: scheduled after the newest line held (gap_from) and
    -- before the hub noticed (detected_at), Unix seconds
    gap_from BIGINT NOT NULL,
    detected_at BIGINT NOT NULL,
    acknowledged_by TEXT NOT NULL,
    acknowledged_at BIGINT NOT NULL,
    note TEXT NOT NULL,
    resumed_hash TEXT
);
CREATE INDEX asrun_breaks_station ON asrun_breaks (station, detected_at);
