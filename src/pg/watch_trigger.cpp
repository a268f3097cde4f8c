// The write path's triggers, installed by dedupe.watch(): dedupe.watch_trigger() (BEFORE
// INSERT OR UPDATE, per row: idempotency, quarantine, key column), dedupe.watch_stage_trigger()
// (AFTER, per row: validate and stage the row as written), the statement-level flush, and the
// DELETE and TRUNCATE triggers. All of it happens in the writing transaction.
#include <optional>
#include <string>

#include "core/normalize/record.hpp"
#include "pg/json_text.hpp"
#include "pg/match_key_datum.hpp"
#include "pg/owner_rights.hpp"
#include "pg/spi_session.hpp"
#include "pg/staging_buffer.hpp"
#include "pg/watch_mapping.hpp"
#include "pg/watch_registration.hpp"
#include "pg/watch_stage.hpp"

extern "C" {
#include "access/htup_details.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/rel.h"
}

namespace dedupe::pg {
namespace {

CachedStatement key_is_claimed("SELECT FROM dedupe.idempotency_keys WHERE source = $1 AND key = $2",
                               2);

CachedStatement claim_idempotency_key(
    "INSERT INTO dedupe.idempotency_keys (source, key, source_pk) VALUES ($1, $2, $3) "
    "ON CONFLICT (source, key) DO NOTHING RETURNING source",
    3);

// dedupe._forget_records() deletes staged records and recomputes the golden records they
// belonged to; it returns the ids of the records it removed.
CachedStatement delete_record("SELECT dedupe._forget_records($1, $2)", 2);
CachedStatement delete_source_records("SELECT dedupe._forget_records($1, NULL)", 1);

CachedStatement insert_audit(
    "INSERT INTO dedupe.audit_log (actor, source, source_pk, record_id, decision, inputs, reason) "
    "VALUES ($1, $2, $3, $4::pg_catalog.int8, $5, $6::pg_catalog.jsonb, $7)",
    7);

CachedStatement insert_quarantine(
    "INSERT INTO dedupe.quarantine (source, source_pk, row_data, reason, quarantined_by) "
    "VALUES ($1, $2, $3::pg_catalog.jsonb, $4, $5) RETURNING quarantine_id",
    5);

using Text = std::optional<std::string>;

void audit(const OwnerRights& rights, const std::string& source, const Text& pk,
           const Text& record_id, const char* decision, const Text& inputs, const Text& reason) {
  insert_audit.run({rights.actor(), source, pk, record_id, std::string(decision), inputs, reason});
}

// The extra columns as a JSON object of text values; NULLs are left out.
std::string attributes_json(HeapTuple tuple, TupleDesc desc, const WatchMapping& m) {
  JsonFields fields;
  for (const std::string& column : m.attributes)
    if (Text v = column_text(tuple, desc, column)) fields.emplace_back(column, std::move(v));
  return json_object(fields);
}

// What the audit row keeps: the raw values the row carried, what they normalized to, and the
// extra attributes.
std::string audit_inputs(const RawRecord& raw, const NormalizedRecord& rec,
                         const std::string& attributes) {
  JsonFields raw_fields = {
      {"external_id", raw.external_id}, {"email", raw.email},         {"phone", raw.phone},
      {"first_name", raw.first_name},   {"last_name", raw.last_name}, {"full_name", raw.full_name},
      {"company", raw.company},         {"domain", raw.domain},       {"country", raw.country}};
  JsonFields normalized = {
      {"external_id", rec.external_id}, {"email", rec.email},         {"phone", rec.phone},
      {"first_name", rec.first_name},   {"last_name", rec.last_name}, {"full_name", rec.full_name},
      {"company", rec.company},         {"domain", rec.domain},       {"country", rec.country}};
  for (const auto& [role, value] : raw.more) raw_fields.emplace_back(role, value);
  for (const auto& [role, value] : rec.more) normalized.emplace_back(role, value);
  std::vector<std::pair<std::string, std::string>> parts = {
      {"raw", json_object(raw_fields)}, {"normalized", json_object(normalized)}};
  if (attributes != "{}") parts.emplace_back("attributes", attributes);
  return json_object_raw(parts);
}

std::string row_as_json(HeapTuple tuple, TupleDesc desc) {
  char* json = pg_call([&] {
    Datum row = heap_copy_tuple_as_datum(tuple, desc);
    return text_to_cstring(DatumGetTextPP(DirectFunctionCall1(row_to_json, row)));
  });
  std::string out(json);
  pg_call([&] { pfree(json); });
  return out;
}

// Whether an UPDATE changed a column the matcher decides on (raw text; a reformatted phone
// counts as a change, which only costs one extra match).
bool identity_changed(HeapTuple old_tuple, HeapTuple new_tuple, TupleDesc desc,
                      const WatchMapping& m) {
  for (const std::string* column : {&m.external_id, &m.email, &m.phone, &m.first_name, &m.last_name,
                                    &m.full_name, &m.company, &m.domain})
    if (column_text(old_tuple, desc, *column) != column_text(new_tuple, desc, *column)) return true;
  for (const auto& [role, column] : m.more_roles)
    if (column_text(old_tuple, desc, column) != column_text(new_tuple, desc, column)) return true;
  return false;
}

TriggerData* trigger_data(FunctionCallInfo fcinfo, const char* name) {
  if (!CALLED_AS_TRIGGER(fcinfo))
    throw dedupe::Error("39P01", std::string(name) + "() can only be called as a trigger");
  return reinterpret_cast<TriggerData*>(fcinfo->context);
}

Text row_id(HeapTuple tuple, TupleDesc desc, const WatchMapping& m) {
  Text pk = column_text(tuple, desc, m.id_column);
  if (!pk)
    throw dedupe::Error(dedupe::sqlstate::kNotNullViolation,
                        "source \"" + m.source + "\": id column \"" + m.id_column + "\" is NULL");
  return pk;
}

RawRecord raw_record(HeapTuple tuple, TupleDesc desc, const WatchMapping& m) {
  RawRecord raw;
  raw.source = m.source;
  raw.region = m.region;
  raw.external_id = column_text(tuple, desc, m.external_id);
  raw.email = column_text(tuple, desc, m.email);
  raw.phone = column_text(tuple, desc, m.phone);
  raw.first_name = column_text(tuple, desc, m.first_name);
  raw.last_name = column_text(tuple, desc, m.last_name);
  raw.full_name = column_text(tuple, desc, m.full_name);
  raw.company = column_text(tuple, desc, m.company);
  raw.domain = column_text(tuple, desc, m.domain);
  raw.country = column_text(tuple, desc, m.country);
  for (const auto& [role, column] : m.more_roles)
    if (Text v = column_text(tuple, desc, column)) raw.more.emplace_back(role, std::move(*v));
  return raw;
}

dedupe::Error rejection(const WatchMapping& m, const std::string& pk, const RawRecord& raw,
                        const NormalizedRecord& rec, const std::string& attributes) {
  return dedupe::Error("23514",
                       "source \"" + m.source + "\" row " + pk + " rejected: " + rec.reason,
                       audit_inputs(raw, rec, attributes),
                       "Correct the row, or watch the table with on_invalid => 'quarantine' "
                       "to keep invalid rows in dedupe.quarantine.");
}

// The row an INSERT or UPDATE row trigger fired for, with the mapping of its (verified) source.
struct FiredRow {
  bool is_update;
  HeapTuple tuple;
  TupleDesc desc;
  WatchMapping mapping;
  std::string pk;
};

FiredRow fired_row(TriggerData* trigdata, bool before, const char* what) {
  const TriggerEvent event = trigdata->tg_event;
  const bool timing_ok = before ? TRIGGER_FIRED_BEFORE(event) : TRIGGER_FIRED_AFTER(event);
  if (!timing_ok || !TRIGGER_FIRED_FOR_ROW(event) || TRIGGER_FIRED_BY_DELETE(event))
    throw dedupe::Error("39P01", std::string(what) + " must fire " + (before ? "BEFORE" : "AFTER") +
                                     " INSERT OR UPDATE FOR EACH ROW");
  const bool is_update = TRIGGER_FIRED_BY_UPDATE(event);
  HeapTuple tuple = is_update ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
  TupleDesc desc = trigdata->tg_relation->rd_att;
  WatchMapping m = WatchMapping::from_trigger(trigdata->tg_trigger);
  verify_registration(m.source, trigdata->tg_relation);
  std::string pk = *row_id(tuple, desc, m);
  return {is_update, tuple, desc, std::move(m), std::move(pk)};
}

// BEFORE INSERT OR UPDATE, per row: what must happen before PostgreSQL writes the row.
// Skips replays of a claimed idempotency key, keeps invalid rows out (quarantine mode) and
// fills the table's own match_key column. Staging waits for the AFTER row trigger, which sees
// the row as written (or never fires for a row that was not).
Datum watch_row(TriggerData* trigdata) {
  const FiredRow row = fired_row(trigdata, true, "dedupe.watch_trigger()");
  const bool is_update = row.is_update;
  HeapTuple tuple = row.tuple;
  TupleDesc desc = row.desc;
  const WatchMapping& m = row.mapping;
  const Text pk = row.pk;

  Text key = column_text(tuple, desc, m.idempotency_key);
  if (key && is_update && column_text(trigdata->tg_trigtuple, desc, m.idempotency_key) == key)
    key.reset();  // an update that keeps its key claims nothing

  // Only quarantine and the key column need the normalized values before the write; a claim
  // needs the raw ones for the audit of a replay. Everything user-defined (output functions,
  // casts to json of the table's column types) runs here, as the writer, before the switch
  // to the owner's rights.
  const bool needs_record = m.on_invalid == OnInvalid::kQuarantine || !m.key_column.empty();
  std::optional<RawRecord> raw;
  if (needs_record || key) raw = raw_record(tuple, desc, m);
  std::optional<NormalizedRecord> rec;
  if (needs_record) rec = normalize_record(*raw);
  const bool quarantine = rec && !rec->valid && m.on_invalid == OnInvalid::kQuarantine;
  std::string attributes, quarantined_row;
  if (key || quarantine) attributes = attributes_json(tuple, desc, m);
  if (quarantine) quarantined_row = row_as_json(tuple, desc);

  if (key || quarantine) {
    OwnerRights rights;
    SpiSession spi;
    // The first writer of a key claims it; a concurrent second writer waits on the unique
    // index, then finds it claimed and is skipped. A quarantined row claims nothing, so its
    // corrected version can be released later.
    const bool replay = key && (quarantine ? key_is_claimed.run({m.source, key}) > 0
                                           : claim_idempotency_key.run({m.source, key, pk}) == 0);
    if (replay) {
      audit(rights, m.source, pk, std::nullopt, "replayed",
            audit_inputs(*raw, rec ? *rec : normalize_record(*raw), attributes),
            "idempotency key " + *key + " was already processed");
      return PointerGetDatum(nullptr);
    }
    if (quarantine) {
      insert_quarantine.run({m.source, pk, quarantined_row, rec->reason, rights.actor()});
      audit(rights, m.source, pk, std::nullopt, "quarantined", audit_inputs(*raw, *rec, attributes),
            rec->reason);
      return PointerGetDatum(nullptr);
    }
    note_claim(RelationGetRelid(trigdata->tg_relation), m.source, *key);
  }  // SPI closed, the writer's rights restored

  if (m.key_column.empty()) return PointerGetDatum(tuple);
  // Fill the table's own match_key column (NULL for a flagged or rejected keyless row).
  Datum key_value = 0;
  const bool key_isnull = !rec->has_identity();
  if (!key_isnull) key_value = match_key_datum(record_key(*rec));
  return pg_call([&] {
    int cols[1] = {SPI_fnumber(desc, m.key_column.c_str())};
    if (cols[0] <= 0)
      elog(ERROR, "watched key column \"%s\" no longer exists", m.key_column.c_str());
    Datum values[1] = {key_value};
    bool nulls[1] = {key_isnull};
    return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, 1, cols, values, nulls));
  });
}

// AFTER INSERT OR UPDATE, per row: stages the row PostgreSQL actually wrote (after every
// BEFORE trigger, generated columns included) and confirms its idempotency claim.
Datum stage_written_row(TriggerData* trigdata) {
  const FiredRow row = fired_row(trigdata, false, "dedupe.watch_stage_trigger()");
  const bool is_update = row.is_update;
  HeapTuple tuple = row.tuple;
  TupleDesc desc = row.desc;
  const WatchMapping& m = row.mapping;
  const Text pk = row.pk;

  if (const Text key = column_text(tuple, desc, m.idempotency_key)) confirm_claim(m.source, *key);

  const Text old_pk = is_update ? column_text(trigdata->tg_trigtuple, desc, m.id_column) : pk;
  if (old_pk != pk) {  // a changed primary key moves the staged record
    OwnerRights rights;
    SpiSession spi;
    delete_record.run({m.source, old_pk});
  }
  stage_tuple(tuple, desc, m, *pk, StageMode::kWrite,
              is_update && identity_changed(trigdata->tg_trigtuple, tuple, desc, m));
  return PointerGetDatum(nullptr);
}

Datum watch_delete(TriggerData* trigdata) {
  if (!TRIGGER_FIRED_AFTER(trigdata->tg_event) || !TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ||
      !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
    throw dedupe::Error("39P01",
                        "dedupe.watch_delete_trigger() must fire AFTER DELETE FOR EACH ROW");
  const Trigger* trigger = trigdata->tg_trigger;
  if (trigger->tgnargs < 1)
    throw dedupe::Error(dedupe::sqlstate::kInternalError,
                        "dedupe.watch_delete_trigger() needs its source argument");
  const std::string source = trigger->tgargs[0];
  verify_registration(source, trigdata->tg_relation);
  // The id column is the one the table's own row triggers name.
  const std::optional<WatchMapping> installed = WatchMapping::of_table(trigdata->tg_relation);
  if (!installed) return PointerGetDatum(nullptr);
  const std::string& id_column = installed->id_column;
  const Text pk = column_text(trigdata->tg_trigtuple, trigdata->tg_relation->rd_att, id_column);

  OwnerRights rights;
  SpiSession spi;
  if (delete_record.run({source, pk}) > 0)
    audit(rights, source, pk, CachedStatement::first_value(), "deleted", std::nullopt,
          "the watched row was deleted");
  return PointerGetDatum(nullptr);
}

}  // namespace

bool stage_tuple(HeapTuple tuple, TupleDesc desc, const WatchMapping& m, const std::string& pk,
                 StageMode mode, bool identity_changed) {
  const RawRecord raw = raw_record(tuple, desc, m);
  const NormalizedRecord rec = normalize_record(raw);
  const std::string attributes = attributes_json(tuple, desc, m);
  // On a write, quarantine mode kept invalid rows out before the write: a row invalid here was
  // changed by a later BEFORE trigger and cannot be taken back any more, so it is refused. A
  // row already in the table when it is watched can only be flagged.
  if (!rec.valid && mode == StageMode::kWrite && m.on_invalid != OnInvalid::kFlag)
    throw rejection(m, pk, raw, rec, attributes);
  StagedRow staged{m.source,
                   pk,
                   current_role_name(),
                   rec.valid ? "normalized" : "flagged",
                   audit_inputs(raw, rec, attributes),
                   attributes,
                   rec};
  staged.identity_changed = identity_changed;
  staged.deferred = m.deferred_matching;
  stage_row(std::move(staged));
  return rec.valid;
}

}  // namespace dedupe::pg

DEDUPE_FUNCTION(dedupe_watch_trigger) {
  return dedupe::pg::watch_row(dedupe::pg::trigger_data(fcinfo, "dedupe.watch_trigger"));
}

// AFTER INSERT OR UPDATE FOR EACH STATEMENT: writes what the row trigger staged.
DEDUPE_FUNCTION(dedupe_watch_flush_trigger) {
  TriggerData* trigdata = dedupe::pg::trigger_data(fcinfo, "dedupe.watch_flush_trigger");
  if (!TRIGGER_FIRED_AFTER(trigdata->tg_event) || TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
    throw dedupe::Error("39P01",
                        "dedupe.watch_flush_trigger() must fire AFTER ... FOR EACH STATEMENT");
  dedupe::pg::end_statement(RelationGetRelid(trigdata->tg_relation));
  return PointerGetDatum(nullptr);
}

// AFTER TRUNCATE FOR EACH STATEMENT: the staged records of the source go with the rows.
DEDUPE_FUNCTION(dedupe_watch_truncate_trigger) {
  TriggerData* trigdata = dedupe::pg::trigger_data(fcinfo, "dedupe.watch_truncate_trigger");
  if (!TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event) || trigdata->tg_trigger->tgnargs < 1)
    throw dedupe::Error("39P01",
                        "dedupe.watch_truncate_trigger() must fire AFTER TRUNCATE with its source");
  const std::string source = trigdata->tg_trigger->tgargs[0];
  dedupe::pg::verify_registration(source, trigdata->tg_relation);
  dedupe::pg::OwnerRights rights;
  dedupe::pg::SpiSession spi;
  const uint64 removed = dedupe::pg::delete_source_records.run({source});
  dedupe::pg::audit(rights, source, std::nullopt, std::nullopt, "truncated",
                    "{\"records\": " + std::to_string(removed) + "}",
                    std::string("the watched table was truncated"));
  return PointerGetDatum(nullptr);
}

DEDUPE_FUNCTION(dedupe_watch_stage_trigger) {
  return dedupe::pg::stage_written_row(
      dedupe::pg::trigger_data(fcinfo, "dedupe.watch_stage_trigger"));
}

DEDUPE_FUNCTION(dedupe_watch_delete_trigger) {
  return dedupe::pg::watch_delete(dedupe::pg::trigger_data(fcinfo, "dedupe.watch_delete_trigger"));
}
