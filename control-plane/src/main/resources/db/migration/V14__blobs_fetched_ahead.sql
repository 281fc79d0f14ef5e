-- A blob the accelerator's read-ahead stored before any client had asked for it. The first client request for it is
-- still the group's miss (that pull brought the blob from the upstream), however soon or late it arrives; it clears
-- the flag, so later requests are hits.
ALTER TABLE dependency_proxy_blobs ADD COLUMN fetched_ahead boolean NOT NULL DEFAULT false;
