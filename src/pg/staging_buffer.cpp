#include "pg/staging_buffer.hpp"

#include <algorithm>
#include <iterator>
#include <set>
#include <unordered_map>
#include <vector>

#include "core/key/match_key.hpp"
#include "pg/golden_match.hpp"
#include "pg/json_text.hpp"
#include "pg/match_queue.hpp"
#include "pg/owner_rights.hpp"
#include "pg/spi_session.hpp"

extern "C" {
#include "access/xact.h"
}

namespace dedupe::pg {
namespace {

// Big enough that per-statement overhead vanishes, small enough to bound backend memory
// (a staged row is well under 1 kB).
constexpr size_t kFlushEvery = 10000;

struct Pending {
  StagedRow row;
  SubTransactionId subxact;
};

std::vector<Pending> pending;
bool callbacks_registered = false;

struct Claim {
  Oid relid;
  std::string source, key;
  SubTransactionId subxact;
  bool confirmed = false;
};
// By source and key (joined by a unit separator): every written row confirms its claim, so a
// COPY of n rows with keys must not scan n claims per row.
std::unordered_map<std::string, Claim> claims;

std::string claim_id(const std::string& source, const std::string& key) {
  return source + '\x1f' + key;
}

CachedStatement withdraw_claims(
    "DELETE FROM dedupe.idempotency_keys k USING ROWS FROM ("
    "  pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[])) "
    "  AS u(source, key) "
    "WHERE k.source OPERATOR(pg_catalog.=) u.source AND k.key OPERATOR(pg_catalog.=) u.key",
    2);

constexpr int kStagedColumns = 21;  // write_staged's parameters, one text array each

// When one statement stages the same row twice (INSERT ... ON CONFLICT DO UPDATE fires the
// insert and the update trigger), the last version wins in dedupe.records; both decisions
// are audited.
CachedStatement write_staged(
    "WITH input AS ("
    "  SELECT * FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), "
    "    pg_catalog.unnest($2::pg_catalog.text[]), pg_catalog.unnest($3::pg_catalog.text[]), "
    "    pg_catalog.unnest($4::pg_catalog.text[]), pg_catalog.unnest($5::pg_catalog.text[]), "
    "    pg_catalog.unnest($6::pg_catalog.text[]), pg_catalog.unnest($7::pg_catalog.text[]), "
    "    pg_catalog.unnest($8::pg_catalog.text[]), pg_catalog.unnest($9::pg_catalog.text[]), "
    "    pg_catalog.unnest($10::pg_catalog.text[]), pg_catalog.unnest($11::pg_catalog.text[]), "
    "    pg_catalog.unnest($12::pg_catalog.text[]), pg_catalog.unnest($13::pg_catalog.text[]), "
    "    pg_catalog.unnest($14::pg_catalog.text[]), pg_catalog.unnest($15::pg_catalog.text[]), "
    "    pg_catalog.unnest($16::pg_catalog.text[]), pg_catalog.unnest($17::pg_catalog.text[]), "
    "    pg_catalog.unnest($18::pg_catalog.text[]), pg_catalog.unnest($19::pg_catalog.text[]), "
    "    pg_catalog.unnest($20::pg_catalog.text[]), pg_catalog.unnest($21::pg_catalog.text[])) "
    "  WITH ORDINALITY AS t(source, source_pk, valid, invalid_reason, external_id, email, phone, "
    "    first_name, last_name, full_name, company, domain, country, actor, decision, inputs, "
    "    reason, key, attributes, roles, name_block, ord)), "
    "latest AS ("
    "  SELECT DISTINCT ON (source, source_pk) * FROM input "
    "  ORDER BY source, source_pk, ord DESC), "
    "staged AS ("
    "  INSERT INTO dedupe.records AS r (source, source_pk, key, valid, invalid_reason, "
    "    external_id, email, phone, first_name, last_name, full_name, company, domain, country, "
    "    attributes, roles, name_block) "
    "  SELECT source, source_pk, "
    "    key::dedupe.match_key, "
    "    valid::pg_catalog.bool, invalid_reason, external_id, email, phone, first_name, "
    "    last_name, full_name, company, domain, country, attributes::pg_catalog.jsonb, "
    "    roles::pg_catalog.jsonb, name_block "
    "  FROM latest ORDER BY ord "
    "  ON CONFLICT (source, source_pk) DO UPDATE SET key = EXCLUDED.key, valid = EXCLUDED.valid, "
    "    invalid_reason = EXCLUDED.invalid_reason, external_id = EXCLUDED.external_id, "
    "    email = EXCLUDED.email, phone = EXCLUDED.phone, first_name = EXCLUDED.first_name, "
    "    last_name = EXCLUDED.last_name, full_name = EXCLUDED.full_name, "
    "    company = EXCLUDED.company, domain = EXCLUDED.domain, country = EXCLUDED.country, "
    "    name_block = EXCLUDED.name_block, attributes = EXCLUDED.attributes, "
    "    roles = EXCLUDED.roles, "
    "    updated_at = pg_catalog.clock_timestamp() "
    "  RETURNING r.record_id, r.source, r.source_pk) "
    "INSERT INTO dedupe.audit_log (actor, source, source_pk, record_id, decision, inputs, reason) "
    "SELECT i.actor, i.source, i.source_pk, s.record_id, i.decision, i.inputs::pg_catalog.jsonb, "
    "  i.reason "
    "FROM input i JOIN staged s ON s.source OPERATOR(pg_catalog.=) i.source "
    "  AND s.source_pk OPERATOR(pg_catalog.=) i.source_pk "
    "ORDER BY i.ord "
    "RETURNING record_id, actor, source, source_pk",
    kStagedColumns);

// Runs inside PostgreSQL's abort processing: no allocation, nothing that can throw.
void drop_rows_of_aborted(SubTransactionId aborted) noexcept {
  pending.erase(std::remove_if(pending.begin(), pending.end(),
                               [&](const Pending& p) { return p.subxact >= aborted; }),
                pending.end());
  // The aborted subtransaction's claims were rolled back with it.
  for (auto it = claims.begin(); it != claims.end();)
    it = it->second.subxact >= aborted ? claims.erase(it) : std::next(it);
}

void register_callbacks();

// The record's key in match_key's text form, built from the already-normalized components
// (normalizing the phone again in SQL would double the cost of a staged row).
std::optional<std::string> staged_key_text(const NormalizedRecord& r) {
  if (!r.has_identity()) return std::nullopt;
  return format(record_key(r));
}

extern "C" void on_xact_event(XactEvent event, void*) noexcept {
  switch (event) {
    case XACT_EVENT_ABORT:
    case XACT_EVENT_PARALLEL_ABORT:
      pending.clear();
      claims.clear();
      break;
    case XACT_EVENT_COMMIT:
    case XACT_EVENT_PARALLEL_COMMIT:
    case XACT_EVENT_PREPARE:
      claims.clear();
      break;
    case XACT_EVENT_PRE_COMMIT:
    case XACT_EVENT_PARALLEL_PRE_COMMIT:
    case XACT_EVENT_PRE_PREPARE:
      if (!pending.empty()) {
        pending.clear();
        ereport(ERROR,
                (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                 errmsg("pg_dedupe: watched rows were validated but never staged"),
                 errdetail("The statement-level trigger dedupe_watch_flush did not run."),
                 errhint("Do not disable dedupe's triggers individually; use dedupe.unwatch().")));
      }
      break;
    default:
      break;
  }
}

extern "C" void on_subxact_event(SubXactEvent event, SubTransactionId mySubid, SubTransactionId,
                                 void*) noexcept {
  if (event == SUBXACT_EVENT_ABORT_SUB) drop_rows_of_aborted(mySubid);
}

void register_callbacks() {
  if (callbacks_registered) return;
  pg_call([] {
    RegisterXactCallback(on_xact_event, nullptr);
    RegisterSubXactCallback(on_subxact_event, nullptr);
  });
  callbacks_registered = true;
}

}  // namespace

void note_claim(Oid relid, const std::string& source, const std::string& key) {
  register_callbacks();
  const SubTransactionId subxact = pg_call([] { return GetCurrentSubTransactionId(); });
  claims.insert_or_assign(claim_id(source, key), Claim{relid, source, key, subxact});
}

void confirm_claim(const std::string& source, const std::string& key) {
  if (auto it = claims.find(claim_id(source, key)); it != claims.end()) it->second.confirmed = true;
}

void end_statement(Oid relid) {
  flush_staged_rows();
  std::vector<std::vector<std::optional<std::string>>> unwritten(2);
  for (auto it = claims.begin(); it != claims.end();) {
    if (it->second.relid != relid) {
      ++it;
      continue;
    }
    if (!it->second.confirmed) {
      unwritten[0].push_back(it->second.source);
      unwritten[1].push_back(it->second.key);
    }
    it = claims.erase(it);
  }
  if (unwritten[0].empty()) return;
  OwnerRights rights;
  SpiSession spi;
  withdraw_claims.run_columns(unwritten);
}

void stage_row(StagedRow row) {
  register_callbacks();
  const SubTransactionId subxact = pg_call([] { return GetCurrentSubTransactionId(); });
  pending.push_back({std::move(row), subxact});
  if (pending.size() >= kFlushEvery) flush_staged_rows();
}

void flush_staged_rows() {
  // Only rows of the current subtransaction (and its committed children) are written here:
  // rows an enclosing statement staged are written when that statement ends, so an inner
  // subtransaction that aborts cannot take them with it.
  const SubTransactionId current = pg_call([] { return GetCurrentSubTransactionId(); });
  std::vector<std::vector<std::optional<std::string>>> columns(kStagedColumns);
  std::set<std::pair<std::string, std::string>> identity_changed;  // (source, source_pk)
  std::set<std::string> deferred_sources;
  std::vector<Pending> outer;
  for (auto& p : pending) {
    if (p.subxact < current) {
      outer.push_back(std::move(p));
      continue;
    }
    const StagedRow& s = p.row;
    const NormalizedRecord& r = s.record;
    if (s.identity_changed) identity_changed.emplace(s.source, s.source_pk);
    if (s.deferred) deferred_sources.insert(s.source);
    JsonFields more;
    for (const auto& [role, value] : r.more) more.emplace_back(role, value);
    const std::optional<std::string> values[kStagedColumns] = {
        s.source,
        s.source_pk,
        std::string(r.valid ? "true" : "false"),
        r.valid ? std::nullopt : std::optional<std::string>(r.reason),
        r.external_id,
        r.email,
        r.phone,
        r.first_name,
        r.last_name,
        r.full_name,
        r.company,
        r.domain,
        r.country,
        s.actor,
        s.decision,
        s.audit_inputs,
        r.valid ? std::nullopt : std::optional<std::string>(r.reason),
        staged_key_text(r),
        s.attributes,
        json_object(more),
        name_block(r)};
    for (int i = 0; i < kStagedColumns; ++i) columns[i].push_back(values[i]);
  }
  pending.swap(outer);
  if (columns[0].empty()) return;
  OwnerRights rights;
  SpiSession spi;
  const uint64 written = write_staged.run_columns(columns);
  // Immediate sources are matched now; deferred ones wait in dedupe.match_queue.
  std::vector<StagedMatch> staged, deferred;
  for (uint64 i = 0; i < written; ++i) {
    auto column = [&](int c) {
      return std::string(
          pg_call([&] { return SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, c); }));
    };
    const std::string source = column(3);
    StagedMatch m{std::stoll(column(1)), column(2),
                  identity_changed.count({source, column(4)}) > 0};
    (deferred_sources.count(source) ? deferred : staged).push_back(std::move(m));
  }
  enqueue_for_matching(deferred);
  match_staged_records(staged);
}

}  // namespace dedupe::pg
