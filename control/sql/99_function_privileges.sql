-- One rule for every internal function (a leading underscore) and every trigger function,
-- whichever fragment defines it: PUBLIC cannot execute it. Trigger functions act with the
-- extension owner's rights, so attaching one to another table is reserved to the roles that
-- watch tables; firing a trigger checks no EXECUTE right, so writers of watched tables need none.
DO $$
DECLARE
  f regprocedure;
BEGIN
  FOR f IN SELECT p.oid FROM pg_catalog.pg_proc p
            WHERE p.pronamespace = 'dedupe'::regnamespace
              AND (p.proname LIKE '\_%' OR p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype))
  LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
  END LOOP;
END $$;

-- The pure helpers behind public functions that run with the caller's rights (library_versions,
-- condition_holds, verify_webhook, train, explain): computations that write nothing and switch
-- to no other role's rights, so whoever may call the public function may call them.
GRANT EXECUTE ON FUNCTION dedupe._icu_version(), dedupe._libphonenumber_version(),
  dedupe._as_number(text), dedupe._webhook_problem(bytea, text, bytea, timestamptz, interval, bytea),
  dedupe._webhook_signature_problem(bytea, text, bytea),
  dedupe._webhook_signature_problem(bytea, text, bytea, bytea),
  dedupe._estimate_model(text, name, jsonb), dedupe._roles_text(jsonb),
  dedupe._explain_pair(text, text, text, text, text, text, text, text, text, text, text, text,
                       text, text, text, text) TO PUBLIC;

-- What dedupe.watch() and dedupe.unwatch(), run by dedupe_admin, call or attach.
GRANT EXECUTE ON FUNCTION dedupe.watch_trigger(), dedupe.watch_stage_trigger(),
  dedupe.watch_flush_trigger(), dedupe.watch_delete_trigger(), dedupe.watch_truncate_trigger(),
  dedupe._check_mapped_column(regclass, text, name, text),
  dedupe._check_watchable(regclass, name, name[], text, name),
  dedupe._drop_watch_triggers(regclass), dedupe._is_known_region(text),
  dedupe._stage_existing_rows(regclass), dedupe._more_role_names() TO dedupe_admin;

-- dedupe.match_pending() runs with its caller's rights (it commits between batches); the batch
-- itself switches to the owner's rights.
GRANT EXECUTE ON FUNCTION dedupe._match_queued(integer) TO dedupe_admin;
-- ... and at its end checks whether the write path's model is due (SECURITY DEFINER, no argument).
GRANT EXECUTE ON FUNCTION dedupe._estimate_model_when_due() TO dedupe_admin;
