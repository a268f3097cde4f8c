#include "pg/golden_match.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/golden/decide.hpp"
#include "core/normalize/record.hpp"
#include "pg/batch_run.hpp"
#include "pg/owner_rights.hpp"
#include "pg/spi_session.hpp"

namespace dedupe::pg {
namespace {

using Text = std::optional<std::string>;

// Advisory locks on the key components of the batch, taken in one sorted pass: two writers
// of the same identity serialize here, and one statement never waits in two orders. The
// component hashes fall into 512 stripes so that a 10,000-row COPY holds at most 512 locks
// (the shared lock table holds max_locks_per_transaction x max_connections entries).
CachedStatement lock_components(
    "SELECT pg_catalog.pg_advisory_xact_lock(8723, h) FROM ("
    "  SELECT DISTINCT (pg_catalog.hashtextextended(c, 8723) OPERATOR(pg_catalog.&) 511)::int4 AS h"
    "  FROM dedupe.records r, LATERAL (VALUES ('e' || r.external_id), ('p' || r.phone),"
    "                                        ('m' || r.email)) AS v(c)"
    "  WHERE r.record_id = ANY ($1::pg_catalog.int8[]) AND c IS NOT NULL ORDER BY 1) s",
    1);

CachedStatement record_state(
    "SELECT rec.external_id, rec.email, rec.phone, rec.first_name, rec.last_name, rec.company,"
    "  rec.domain, (SELECT l.golden_id FROM dedupe.record_links l WHERE l.record_id = "
    "rec.record_id),"
    "  EXISTS (SELECT FROM dedupe.review_queue q WHERE q.record_id = rec.record_id"
    "          AND q.status = 'open'),"
    "  dedupe._roles_text(NULLIF(rec.roles, '{}'::pg_catalog.jsonb))"
    " FROM dedupe.records rec WHERE rec.record_id = $1::pg_catalog.int8 AND rec.valid",
    1);

// Records sharing a key component (GIN on records.key), then records with the same normalized
// full name or its parts swapped (a form asking for surname first), then others of the name block
// (phonetic surname and first initial); at most 50 of each name kind, so the exact namesakes are
// never crowded out of a big block. Each branch reads the columns it needs from its index scan and
// skips what an earlier branch found.
CachedStatement candidates(
    "WITH s AS MATERIALIZED (SELECT * FROM dedupe.records WHERE record_id = $1::pg_catalog.int8),"
    " c AS (SELECT r.record_id, r.external_id, r.email, r.phone, r.first_name, r.last_name,"
    "              r.company, r.domain, r.roles"
    "       FROM dedupe.records r, s"
    "       WHERE r.key OPERATOR(dedupe.&&) s.key AND r.record_id OPERATOR(pg_catalog.<>) "
    "s.record_id"
    "       UNION ALL"
    "       (SELECT r.record_id, r.external_id, r.email, r.phone, r.first_name, r.last_name,"
    "               r.company, r.domain, r.roles"
    "        FROM dedupe.records r, s"
    "        WHERE r.full_name OPERATOR(pg_catalog.=) ANY (ARRAY[s.full_name,"
    "              s.last_name OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) s.first_name])"
    "          AND r.record_id OPERATOR(pg_catalog.<>) s.record_id"
    "          AND (r.key OPERATOR(dedupe.&&) s.key) IS NOT TRUE LIMIT 50)"
    "       UNION ALL"
    "       (SELECT r.record_id, r.external_id, r.email, r.phone, r.first_name, r.last_name,"
    "               r.company, r.domain, r.roles"
    "        FROM dedupe.records r, s"
    "        WHERE r.name_block OPERATOR(pg_catalog.=) s.name_block"
    "          AND r.record_id OPERATOR(pg_catalog.<>) s.record_id"
    "          AND (r.full_name OPERATOR(pg_catalog.=) s.full_name) IS NOT TRUE"
    "          AND (r.key OPERATOR(dedupe.&&) s.key) IS NOT TRUE LIMIT 50))"
    " SELECT l.golden_id, c.external_id, c.email, c.phone, c.first_name, c.last_name, c.company,"
    "  c.domain, EXISTS (SELECT FROM dedupe.distinct_pairs d"
    "                    WHERE d.record_id = $1::pg_catalog.int8 AND d.golden_id = l.golden_id),"
    "  dedupe._roles_text(NULLIF(c.roles, '{}'::pg_catalog.jsonb))"
    " FROM c JOIN dedupe.record_links l ON l.record_id OPERATOR(pg_catalog.=) c.record_id",
    1);

// A record with further roles also meets the records of each of its role blocks (the same date
// of birth, identifier, postcode and street, or house number and street: dedupe._role_blocks),
// so a typo in a name does
// not hide the same person. One look-up per block, each a parameter of its own, so the plan
// is the partial GIN index on records.roles whatever the block.
CachedStatement role_blocks_of(
    "SELECT pg_catalog.unnest(dedupe._role_blocks(roles))::pg_catalog.text FROM dedupe.records"
    " WHERE record_id = $1::pg_catalog.int8",
    1);

CachedStatement role_block_candidates(
    "SELECT l.golden_id, r.external_id, r.email, r.phone, r.first_name, r.last_name, r.company,"
    "  r.domain, EXISTS (SELECT FROM dedupe.distinct_pairs d"
    "                    WHERE d.record_id = $2::pg_catalog.int8 AND d.golden_id = l.golden_id),"
    "  dedupe._roles_text(r.roles)"
    " FROM dedupe.records r JOIN dedupe.record_links l ON l.record_id OPERATOR(pg_catalog.=) "
    "r.record_id"
    " WHERE r.roles OPERATOR(pg_catalog.@>) $1::pg_catalog.jsonb"
    "   AND r.roles OPERATOR(pg_catalog.<>) '{}'::pg_catalog.jsonb"
    "   AND r.record_id OPERATOR(pg_catalog.<>) $2::pg_catalog.int8 LIMIT 50",
    2);

// The staged records that share nothing with any other record (key component, full name,
// name block, role block): their decision is "new golden record" whatever order they are
// matched in.
CachedStatement without_candidates(
    "SELECT r.record_id FROM dedupe.records r"
    " WHERE r.record_id = ANY ($1::pg_catalog.int8[]) AND r.valid"
    "   AND NOT EXISTS (SELECT FROM dedupe.record_links l WHERE l.record_id = r.record_id)"
    "   AND NOT EXISTS (SELECT FROM dedupe.review_queue q"
    "                   WHERE q.record_id = r.record_id AND q.status = 'open')"
    "   AND NOT EXISTS (SELECT FROM dedupe.records o WHERE o.key OPERATOR(dedupe.&&) r.key"
    "                   AND o.record_id OPERATOR(pg_catalog.<>) r.record_id)"
    "   AND NOT EXISTS (SELECT FROM dedupe.records o"
    "                   WHERE o.full_name OPERATOR(pg_catalog.=) ANY (ARRAY[r.full_name,"
    "                         r.last_name OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) "
    "r.first_name])"
    "                   AND o.record_id OPERATOR(pg_catalog.<>) r.record_id)"
    "   AND NOT EXISTS (SELECT FROM dedupe.records o"
    "                   WHERE o.name_block OPERATOR(pg_catalog.=) r.name_block"
    "                   AND o.record_id OPERATOR(pg_catalog.<>) r.record_id)"
    "   AND NOT EXISTS (SELECT FROM pg_catalog.unnest(dedupe._role_blocks(r.roles)) b(k)"
    "                   WHERE EXISTS (SELECT FROM dedupe.records o"
    "                                 WHERE o.roles OPERATOR(pg_catalog.@>) b.k"
    "                                   AND o.roles OPERATOR(pg_catalog.<>) '{}'::pg_catalog.jsonb"
    "                                   AND o.record_id OPERATOR(pg_catalog.<>) r.record_id))",
    1);

CachedStatement new_golden_records(
    "SELECT dedupe._new_golden_records($1::pg_catalog.int8[], $2::pg_catalog.name,"
    " $3::pg_catalog.jsonb)",
    3);

CachedStatement thresholds_query(
    "SELECT (SELECT value FROM dedupe.effective_settings"
    "         WHERE name OPERATOR(pg_catalog.=) 'review_threshold'),"
    "       (SELECT value FROM dedupe.effective_settings"
    "         WHERE name OPERATOR(pg_catalog.=) 'auto_link_threshold')",
    0);

CachedStatement link(
    "SELECT dedupe._link($1::pg_catalog.int8, $2::pg_catalog.int8, $3, $4::pg_catalog.float8,"
    " $5::pg_catalog.name, $6::pg_catalog.jsonb)",
    6);

CachedStatement open_review(
    "SELECT dedupe._open_review($1::pg_catalog.int8, $2, $3::pg_catalog.int8,"
    " $4::pg_catalog.int8[], $5, $6::pg_catalog.float8, $7::pg_catalog.name, $8::pg_catalog.jsonb)",
    8);

CachedStatement recompute("SELECT dedupe._recompute_golden($1::pg_catalog.int8)", 1);

CachedStatement other_members(
    "SELECT EXISTS (SELECT FROM dedupe.record_links l WHERE l.golden_id = $2::pg_catalog.int8"
    "               AND l.record_id OPERATOR(pg_catalog.<>) $1::pg_catalog.int8)",
    2);

CachedStatement detach(
    "SELECT dedupe._detach($1::pg_catalog.int8, $2::pg_catalog.name, $3::pg_catalog.jsonb)", 3);

Text value(int row, int column) {
  char* v =
      pg_call([&] { return SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, column); });
  if (!v) return std::nullopt;
  return std::string(v);
}

// A record as the matcher sees it: seven identity columns from first_column on, and the
// further roles (dedupe._roles_text) in roles_column.
golden::Person person_at(int row, int first_column, int roles_column) {
  golden::Person p{value(row, first_column),     value(row, first_column + 1),
                   value(row, first_column + 2), value(row, first_column + 3),
                   value(row, first_column + 4), value(row, first_column + 5),
                   value(row, first_column + 6), {}};
  if (const Text roles = value(row, roles_column))
    p.more = golden::more_roles(decode_more_roles(*roles));
  return p;
}

std::string array_text(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "}";
}

CachedStatement write_path_model_version(
    "SELECT trained_at::pg_catalog.text FROM dedupe.models"
    " WHERE name OPERATOR(pg_catalog.=) 'write_path'",
    0);

// The stored model, parsed once per version (its trained_at) rather than on every flush.
struct StoredModel {
  std::string version;
  std::optional<match::Model> model;
};
StoredModel stored_model;

void open_review_for(const std::string& id, const golden::Decision& d, const std::string& score,
                     const std::string& actor, const std::string& explanation) {
  open_review.run({id, d.review_kind, std::to_string(d.golden_id),
                   d.conflicting.empty() ? Text() : Text(array_text(d.conflicting)), d.rule, score,
                   actor, explanation});
}

// Appends the candidates the last query returned (golden id, the member's identity columns,
// whether a human called them distinct, the member's further roles).
void read_candidates(uint64 rows, std::vector<golden::Candidate>& found) {
  for (uint64 i = 0; i < rows; ++i) {
    golden::Candidate c;
    c.golden_id = std::stoll(*value(static_cast<int>(i), 1));
    c.member = person_at(static_cast<int>(i), 2, 10);
    c.distinct = value(static_cast<int>(i), 9) == Text("t");
    found.push_back(std::move(c));
  }
}

void match_one(const StagedMatch& staged, const WritePathPolicy& policy) {
  const std::string id = std::to_string(staged.record_id);
  const std::string& actor = staged.actor;
  if (record_state.run({id}) != 1) return;  // invalid (flagged) records are not matched
  const golden::Person person = person_at(0, 1, 10);
  const Text linked_to = value(0, 8);
  const bool waiting = value(0, 9) == Text("t");
  // An update of a linked record: its golden values follow. When its identity changed it is
  // matched again below: with other members it leaves if the new values point elsewhere; as the
  // only member it joins (or is reviewed against) the golden record they point to, and its old
  // one is absorbed (a new person in an empty golden record is the same golden record).
  if (linked_to && !staged.identity_changed) {
    recompute.run({linked_to});
    return;
  }
  const bool only_member =
      linked_to && other_members.run({id, linked_to}) == 1 && value(0, 1) == Text("f");
  if (!linked_to && waiting) return;  // already waiting for a human

  std::vector<golden::Candidate> found;
  read_candidates(candidates.run({id}), found);
  if (!person.more.empty()) {
    std::vector<std::string> blocks;
    const uint64 n = role_blocks_of.run({id});
    for (uint64 i = 0; i < n; ++i) blocks.push_back(*value(static_cast<int>(i), 1));
    for (const std::string& block : blocks)
      read_candidates(role_block_candidates.run({block, id}), found);
  }
  const golden::Decision d = golden::decide(person, found, policy.thresholds, policy.model);
  const std::string explanation = golden::to_json(d);
  const std::string score = std::to_string(d.score);
  if (only_member && d.action != golden::Action::kLink) {
    recompute.run({*linked_to});  // stays in its golden record until a human decides
    if (d.action == golden::Action::kReview) open_review_for(id, d, score, actor, explanation);
    return;
  }
  if (linked_to && !only_member) {
    if (d.action == golden::Action::kLink && std::to_string(d.golden_id) == *linked_to) {
      recompute.run({*linked_to});
      return;
    }
    detach.run({id, actor, explanation});  // the evidence no longer points at its golden record
  }
  switch (d.action) {
    case golden::Action::kLink:
      link.run({id, std::to_string(d.golden_id), d.rule, score, actor, explanation});
      break;
    case golden::Action::kNewGolden:
      link.run({id, std::nullopt, "new_golden_record:" + d.rule, score, actor, explanation});
      break;
    case golden::Action::kReview:
      // A record waiting for a human is still someone: it starts a golden record of its own
      // (later rows of the same person find it there), and the review item proposes moving
      // it into the golden record the evidence points at. A conflict the model found (several
      // golden records above the link threshold, likely one person, as batch's clusters would
      // say) joins the one it matches best, and the item proposes merging the others into it.
      if (!linked_to && d.joins_while_reviewed)
        link.run({id, std::to_string(d.golden_id), "match_probability:in_review", score, actor,
                  explanation});
      else if (!linked_to)
        link.run({id, std::nullopt, "new_golden_record:in_review", score, actor, explanation});
      open_review_for(id, d, score, actor, explanation);
      break;
  }
}

// Gives every staged record without any candidate its own golden record in one statement per
// actor (a bulk load of new people); returns the records it handled.
std::set<int64_t> start_golden_records_in_bulk(const std::vector<StagedMatch>& staged,
                                               const std::vector<int64_t>& ids,
                                               const WritePathPolicy& policy) {
  std::set<int64_t> handled;
  if (staged.size() < 2) return handled;  // one row: the ordinary path costs the same
  const uint64 n = without_candidates.run({array_text(ids)});
  for (uint64 i = 0; i < n; ++i) handled.insert(std::stoll(*value(static_cast<int>(i), 1)));
  if (handled.empty()) return handled;
  // The decision the matcher makes for a record with no candidate, explained once.
  const std::string explanation =
      golden::to_json(golden::decide(golden::Person{}, {}, policy.thresholds, policy.model));
  std::map<std::string, std::vector<int64_t>> by_actor;
  for (const StagedMatch& s : staged)
    if (handled.count(s.record_id)) by_actor[s.actor].push_back(s.record_id);
  for (auto& [actor, records] : by_actor) {
    std::sort(records.begin(), records.end());
    records.erase(std::unique(records.begin(), records.end()), records.end());
    new_golden_records.run({array_text(records), actor, explanation});
  }
  return handled;
}

}  // namespace

WritePathPolicy read_write_path_policy() {
  OwnerRights rights;
  SpiSession spi;
  WritePathPolicy policy{golden::Thresholds{}, golden::cold_start_model()};
  if (thresholds_query.run({}) == 1) {
    if (const Text review = value(0, 1)) policy.thresholds.review = std::stod(*review);
    if (const Text auto_link = value(0, 2)) policy.thresholds.auto_link = std::stod(*auto_link);
  }
  if (write_path_model_version.run({}) == 1) {
    const std::string version = value(0, 1).value_or("");
    if (!stored_model.model || stored_model.version != version)
      stored_model = {version, load_model("write_path")};
    policy.model = *stored_model.model;
  }
  return policy;
}

void match_staged_records(const std::vector<StagedMatch>& staged) {
  if (staged.empty()) return;
  std::vector<int64_t> ids;
  for (const auto& s : staged) ids.push_back(s.record_id);
  lock_components.run({array_text(ids)});
  const WritePathPolicy policy = read_write_path_policy();
  // a row staged twice in one statement is matched once
  std::set<int64_t> done = start_golden_records_in_bulk(staged, ids, policy);
  for (const StagedMatch& s : staged) {
    if (!done.insert(s.record_id).second) continue;
    check_for_interrupts();
    match_one(s, policy);
  }
}

}  // namespace dedupe::pg
