-- pg_dedupe install script, assembled from control/sql/NN_*.sql by the Makefile.
-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pg_dedupe" to load this file. \quit

COMMENT ON SCHEMA dedupe IS
  'pg_dedupe: normalization, identity keys, similarity matching and golden records for leads and contacts';
