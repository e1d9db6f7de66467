-- Local announcements (issue 12), postgres dialect (keep in step with the other
-- dialect's 0006_clip_stations.sql): the stations a clip is bound to. A clip
-- with rows here goes into the feed with `stations = [...]` and only those
-- stations download and air it; without rows it reaches its areas as before.
CREATE TABLE clip_stations (
    clip_id TEXT NOT NULL REFERENCES clips(id),
    station_id TEXT NOT NULL REFERENCES stations(id),
    PRIMARY KEY (clip_id, station_id)
);
