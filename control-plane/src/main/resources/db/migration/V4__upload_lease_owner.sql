-- A blob's upload lease belongs to the store that took it: the id authorize handed out (the temporary object's
-- id, presented again in the signed finalize descriptor). Only that holder releases the lease.
ALTER TABLE dependency_proxy_blobs ADD COLUMN lease_owner text;
