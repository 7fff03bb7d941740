-- cutover's own tables, created on the source and on the target by ApplySchema(PRE_DATA).
-- Every statement is idempotent: applying this twice changes nothing. The tables have primary keys,
-- so logical replication carries their rows from the source to the target like any other table.
CREATE SCHEMA IF NOT EXISTS cutover;

-- The fence writes one canary row on the source after the last application session is gone; the
-- lag-monitor waits for the same token on the target, which proves every earlier write arrived.
CREATE TABLE IF NOT EXISTS cutover.canary (
    token text PRIMARY KEY,
    written_at timestamptz NOT NULL DEFAULT now()
);

-- The lag-monitor updates one row per source every few seconds, so that replication lag stays
-- measurable while the application writes nothing.
CREATE TABLE IF NOT EXISTS cutover.heartbeat (
    id int PRIMARY KEY,
    beat_at timestamptz NOT NULL
);
