-- Gatehouse schema, version 3: the instances sharing this database, each with a lease
-- (docs/architecture.md, "The revocation barrier"). An ending is answered only once every
-- instance whose lease is valid has confirmed it, or its lease has lapsed.

CREATE TABLE instances (
  id               uuid PRIMARY KEY,
  address          text NOT NULL,
  version          text NOT NULL,
  -- Bumped each time the instance (re)joins: a waiter that saw an older epoch knows the
  -- instance has since re-read every ending from the table, so it need not confirm it.
  epoch            bigint NOT NULL,
  started_at       timestamptz NOT NULL DEFAULT now(),
  renewed_at       timestamptz NOT NULL DEFAULT now(),
  lease_expires_at timestamptz NOT NULL,
  -- The watermark: every ending committed before this moment has been applied by the instance.
  applied_through  timestamptz,
  -- From sending a renewal to hearing it back on the feed, at the last renewal.
  feed_lag_ms      double precision
);

-- Used inside every ending transaction on PostgreSQL: takes the barrier lock in shared mode
-- (endings never wait for each other, nor for anyone else) and then, with a fresh snapshot,
-- lists the instances that must confirm. A joining instance, once its row is committed, waits
-- for the transactions then holding the lock: an ending either sees it here or commits before
-- its first read of the table.
CREATE FUNCTION gatehouse_barrier_members(self uuid, margin_ms integer)
RETURNS TABLE (id uuid, epoch bigint, remaining_ms double precision)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7262719);
  RETURN QUERY
    SELECT i.id, i.epoch, extract(epoch FROM i.lease_expires_at - clock_timestamp())::float8 * 1000
    FROM instances i
    WHERE i.id <> self AND i.lease_expires_at + make_interval(secs => margin_ms / 1000.0) > clock_timestamp();
END
$$;
