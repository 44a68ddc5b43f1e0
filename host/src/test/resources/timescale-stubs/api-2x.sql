-- Stand-ins for the TimescaleDB 2.x functions and views sql/init.sql calls, with the parameter names
-- and types of TimescaleDB's documented signatures ("any" parameters as interval), each recording
-- its call in table `calls`. TimescaleDB cannot be installed on the CI machines; these let
-- TimescaleBranchOnStubsTest run init.sql's TimescaleDB branch on plain PostgreSQL, which checks
-- that it compiles, calls what it should with the configured values, and is idempotent. It proves
-- nothing about TimescaleDB's own behaviour (TimescaleSchemaTest does, where it is installed).
CREATE SCHEMA timescaledb_information;
CREATE TABLE calls (fn text, args text);
CREATE VIEW timescaledb_information.hypertables AS
  SELECT current_schema()::name AS hypertable_schema, t::name AS hypertable_name, false AS compression_enabled
  FROM unnest(ARRAY['metrics','anomaly_scores','forecasts']) t;
CREATE VIEW timescaledb_information.continuous_aggregates AS
  SELECT current_schema()::name AS view_schema, c.relname::name AS view_name FROM pg_class c WHERE c.relkind = 'm';
CREATE FUNCTION create_hypertable(relation regclass, time_column_name name, partitioning_column name DEFAULT NULL,
  number_partitions integer DEFAULT NULL, associated_schema_name name DEFAULT NULL, associated_table_prefix name DEFAULT NULL,
  chunk_time_interval interval DEFAULT NULL, create_default_indexes boolean DEFAULT true, if_not_exists boolean DEFAULT false,
  partitioning_func regproc DEFAULT NULL, migrate_data boolean DEFAULT false) RETURNS void LANGUAGE sql
  AS $$ INSERT INTO calls VALUES ('create_hypertable', relation::text || ' ' || time_column_name || ' ' || chunk_time_interval || ' idx=' || create_default_indexes) $$;
CREATE FUNCTION set_chunk_time_interval(hypertable regclass, chunk_time_interval interval, dimension_name name DEFAULT NULL) RETURNS void
  LANGUAGE sql AS $$ INSERT INTO calls VALUES ('set_chunk_time_interval', hypertable::text || ' ' || chunk_time_interval) $$;
CREATE FUNCTION add_compression_policy(hypertable regclass, compress_after interval DEFAULT NULL, if_not_exists boolean DEFAULT false,
  schedule_interval interval DEFAULT NULL) RETURNS integer LANGUAGE sql
  AS $$ INSERT INTO calls VALUES ('add_compression_policy', hypertable::text || ' ' || compress_after) RETURNING 1 $$;
CREATE FUNCTION remove_compression_policy(hypertable regclass, if_exists boolean DEFAULT false) RETURNS boolean LANGUAGE sql
  AS $$ INSERT INTO calls VALUES ('remove_compression_policy', hypertable::text) RETURNING true $$;
CREATE FUNCTION add_retention_policy(relation regclass, drop_after interval DEFAULT NULL, if_not_exists boolean DEFAULT false) RETURNS integer
  LANGUAGE sql AS $$ INSERT INTO calls VALUES ('add_retention_policy', relation::text || ' ' || drop_after) RETURNING 1 $$;
CREATE FUNCTION remove_retention_policy(relation regclass, if_exists boolean DEFAULT false) RETURNS void LANGUAGE sql
  AS $$ INSERT INTO calls VALUES ('remove_retention_policy', relation::text) $$;
CREATE FUNCTION add_continuous_aggregate_policy(continuous_aggregate regclass, start_offset interval, end_offset interval,
  schedule_interval interval, if_not_exists boolean DEFAULT false) RETURNS integer LANGUAGE sql
  AS $$ INSERT INTO calls VALUES ('add_continuous_aggregate_policy', continuous_aggregate::text || ' ' || start_offset || ' ' || end_offset || ' ' || schedule_interval) RETURNING 1 $$;
CREATE FUNCTION remove_continuous_aggregate_policy(continuous_aggregate regclass, if_not_exists boolean DEFAULT false, if_exists boolean DEFAULT NULL)
  RETURNS void LANGUAGE sql AS $$ INSERT INTO calls VALUES ('remove_continuous_aggregate_policy', continuous_aggregate::text) $$;
CREATE FUNCTION time_bucket(bucket_width interval, ts timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE
  AS $$ SELECT date_bin(bucket_width, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') $$;
