// The write path: dedupe.watch_trigger() (BEFORE INSERT OR UPDATE, per row) and
// dedupe.watch_delete_trigger() (AFTER DELETE). Normalize, validate, honour idempotency
// keys, stage the row in dedupe.records and audit the decision, in the writing transaction.
#include <optional>
#include <string>

#include "core/normalize/record.hpp"
#include "pg/json_text.hpp"
#include "pg/match_key_datum.hpp"
#include "pg/owner_rights.hpp"
#include "pg/spi_session.hpp"
#include "pg/staging_buffer.hpp"
#include "pg/watch_mapping.hpp"

extern "C" {
#include "access/htup_details.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/rel.h"
}

namespace dedupe::pg {
namespace {

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
  return false;
}

TriggerData* trigger_data(FunctionCallInfo fcinfo, const char* name) {
  if (!CALLED_AS_TRIGGER(fcinfo))
    throw dedupe::Error("39P01", std::string(name) + "() can only be called as a trigger");
  return reinterpret_cast<TriggerData*>(fcinfo->context);
}

Datum watch_row(TriggerData* trigdata) {
  const TriggerEvent event = trigdata->tg_event;
  if (!TRIGGER_FIRED_BEFORE(event) || !TRIGGER_FIRED_FOR_ROW(event) ||
      TRIGGER_FIRED_BY_DELETE(event))
    throw dedupe::Error("39P01",
                        "dedupe.watch_trigger() must fire BEFORE INSERT OR UPDATE FOR EACH ROW");
  const bool is_update = TRIGGER_FIRED_BY_UPDATE(event);
  HeapTuple tuple = is_update ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
  TupleDesc desc = trigdata->tg_relation->rd_att;
  const WatchMapping m = WatchMapping::from_trigger(trigdata->tg_trigger);

  const Text pk = column_text(tuple, desc, m.id_column);
  if (!pk)
    throw dedupe::Error(dedupe::sqlstate::kNotNullViolation,
                        "source \"" + m.source + "\": id column \"" + m.id_column + "\" is NULL");

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
  const NormalizedRecord rec = normalize_record(raw);
  const std::string attributes = attributes_json(tuple, desc, m);

  const std::string actor = current_role_name();
  // Most rows need no SPI in the row trigger: only idempotency claims, invalid rows and
  // changed primary keys do. Staged rows are written per statement (staging_buffer.hpp).
  const bool needs_spi = !m.idempotency_key.empty() || !rec.valid || is_update;
  if (needs_spi) {
    OwnerRights rights;
    SpiSession spi;

    // Idempotency: the first writer of a key claims it; a concurrent second writer waits on
    // the unique index, then finds it claimed and is skipped.
    if (const Text key = column_text(tuple, desc, m.idempotency_key)) {
      const bool key_changed =
          !is_update || column_text(trigdata->tg_trigtuple, desc, m.idempotency_key) != key;
      if (key_changed && claim_idempotency_key.run({m.source, key, pk}) == 0) {
        audit(rights, m.source, pk, std::nullopt, "replayed", audit_inputs(raw, rec, attributes),
              "idempotency key " + *key + " was already processed");
        return PointerGetDatum(nullptr);
      }
    }

    if (!rec.valid) {
      if (m.on_invalid == OnInvalid::kReject)
        throw dedupe::Error("23514",
                            "source \"" + m.source + "\" row " + *pk + " rejected: " + rec.reason,
                            audit_inputs(raw, rec, attributes),
                            "Correct the row, or watch the table with on_invalid => 'quarantine' "
                            "to keep invalid rows in dedupe.quarantine.");
      if (m.on_invalid == OnInvalid::kQuarantine) {
        insert_quarantine.run({m.source, pk, row_as_json(tuple, desc), rec.reason, actor});
        audit(rights, m.source, pk, std::nullopt, "quarantined", audit_inputs(raw, rec, attributes),
              rec.reason);
        return PointerGetDatum(nullptr);
      }
    }

    if (is_update) {
      // A changed primary key moves the staged record.
      const Text old_pk = column_text(trigdata->tg_trigtuple, desc, m.id_column);
      if (old_pk != pk) delete_record.run({m.source, old_pk});
    }
  }  // SPI closed, the writer's rights restored

  const char* decision = rec.valid ? "normalized" : "flagged";
  StagedRow staged{m.source,   *pk, actor, decision, audit_inputs(raw, rec, attributes),
                   attributes, rec};
  staged.identity_changed = is_update && identity_changed(trigdata->tg_trigtuple, tuple, desc, m);
  stage_row(std::move(staged));
  if (m.key_column.empty()) return PointerGetDatum(tuple);

  // Fill the table's own match_key column (NULL for a flagged keyless row).
  Datum key_value = 0;
  const bool key_isnull = !rec.has_identity();
  if (!key_isnull) key_value = match_key_datum(record_key(rec));
  return pg_call([&] {
    int cols[1] = {SPI_fnumber(desc, m.key_column.c_str())};
    if (cols[0] <= 0)
      elog(ERROR, "watched key column \"%s\" no longer exists", m.key_column.c_str());
    Datum values[1] = {key_value};
    bool nulls[1] = {key_isnull};
    return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, 1, cols, values, nulls));
  });
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
  // The id column is the one the BEFORE trigger of the same table names.
  std::string id_column;
  for (int i = 0; i < trigdata->tg_relation->trigdesc->numtriggers; ++i) {
    const Trigger* t = &trigdata->tg_relation->trigdesc->triggers[i];
    if (std::string(t->tgname) == "dedupe_watch")
      id_column = WatchMapping::from_trigger(t).id_column;
  }
  if (id_column.empty()) return PointerGetDatum(nullptr);
  const Text pk = column_text(trigdata->tg_trigtuple, trigdata->tg_relation->rd_att, id_column);

  OwnerRights rights;
  SpiSession spi;
  if (delete_record.run({source, pk}) > 0)
    audit(rights, source, pk, CachedStatement::first_value(), "deleted", std::nullopt,
          "the watched row was deleted");
  return PointerGetDatum(nullptr);
}

}  // namespace
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
  dedupe::pg::flush_staged_rows();
  return PointerGetDatum(nullptr);
}

// AFTER TRUNCATE FOR EACH STATEMENT: the staged records of the source go with the rows.
DEDUPE_FUNCTION(dedupe_watch_truncate_trigger) {
  TriggerData* trigdata = dedupe::pg::trigger_data(fcinfo, "dedupe.watch_truncate_trigger");
  if (!TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event) || trigdata->tg_trigger->tgnargs < 1)
    throw dedupe::Error("39P01",
                        "dedupe.watch_truncate_trigger() must fire AFTER TRUNCATE with its source");
  const std::string source = trigdata->tg_trigger->tgargs[0];
  dedupe::pg::OwnerRights rights;
  dedupe::pg::SpiSession spi;
  const uint64 removed = dedupe::pg::delete_source_records.run({source});
  dedupe::pg::audit(rights, source, std::nullopt, std::nullopt, "truncated",
                    "{\"records\": " + std::to_string(removed) + "}",
                    std::string("the watched table was truncated"));
  return PointerGetDatum(nullptr);
}

DEDUPE_FUNCTION(dedupe_watch_delete_trigger) {
  return dedupe::pg::watch_delete(dedupe::pg::trigger_data(fcinfo, "dedupe.watch_delete_trigger"));
}
