#include "pg/golden_match.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/golden/decide.hpp"
#include "pg/batch_run.hpp"
#include "pg/golden_person.hpp"
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

// A candidate of record s: a record written before it, or one already in a golden record. A
// record of the same flush with a higher id is left out (matched in record order, one INSERT
// at a time would not have written it yet); inside LIMIT, so it takes no place of one that counts.
#define EARLIER_OR_LINKED                                                                        \
  "(r.record_id OPERATOR(pg_catalog.<) s.record_id OR EXISTS (SELECT FROM dedupe.record_links x" \
  " WHERE x.record_id OPERATOR(pg_catalog.=) r.record_id))"

// A record r of s's name block that s may be compared with (the block's size is counted over
// exactly these).
#define IN_NAME_BLOCK                                \
  "r.name_block OPERATOR(pg_catalog.=) s.name_block" \
  " AND r.record_id OPERATOR(pg_catalog.<>) s.record_id AND " EARLIER_OR_LINKED

// A candidate row: the record it is a candidate of, kind, the member's golden record (NULL when
// it is not linked yet: PendingLinks knows it), its identity columns, a boolean column the
// state row uses, its further roles and its record id.
#define CANDIDATE_COLUMNS(of_record, kind, golden, c)                                  \
  "SELECT " of_record ", " kind "::pg_catalog.int8, " golden ", " c ".external_id, " c \
  ".email, " c ".phone, " c ".first_name, " c ".last_name, " c ".company, " c          \
  ".domain, NULL::pg_catalog.bool, dedupe._roles_text(NULLIF(" c                       \
  ".roles, '{}'::pg_catalog.jsonb)), " c ".record_id"

// What the matcher reads first about the staged records of a flush ($1, with $2 saying whose
// identity an UPDATE changed), in one statement: each record's state (kind 0: its identity
// columns, the golden record it is linked to, whether it waits in the review queue, its further
// roles), then, for those to be matched (not linked, or linked with a changed identity; and not
// already waiting for a human), the records sharing a key component (kind 1, GIN on
// records.key) and the golden records a human called distinct from it (kind 3). The rules
// (same external id, same email, same phone with agreeing names) need nothing else: when one
// applies, the other candidates (further_candidates) share no key component and cannot change
// the decision, so they are not read. Read before the flush decides anything: what a decision
// changes (the golden record of a record matched earlier in the flush) PendingLinks knows.
// UNION ALL without ORDER BY returns the branches in order (an Append runs its children one
// after another; SPI_prepare_cursor without CURSOR_OPT_PARALLEL_OK never plans a parallel one),
// so each record's state row comes before its candidates.
CachedStatement records_and_key_candidates(
    "WITH s AS MATERIALIZED ("
    "  SELECT rec.*, u.changed, (SELECT l.golden_id FROM dedupe.record_links l"
    "                            WHERE l.record_id = rec.record_id) AS linked,"
    "         EXISTS (SELECT FROM dedupe.review_queue q WHERE q.record_id = rec.record_id"
    "                 AND q.status = 'open') AS waiting"
    "  FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]),"
    "                  pg_catalog.unnest($2::pg_catalog.bool[])) u(id, changed)"
    "  JOIN dedupe.records rec ON rec.record_id OPERATOR(pg_catalog.=) u.id WHERE rec.valid),"
    " m AS MATERIALIZED (SELECT * FROM s"
    "   WHERE CASE WHEN s.linked IS NULL THEN NOT s.waiting ELSE s.changed END),"
    " c AS (SELECT s.record_id AS of_record, r.record_id, r.external_id, r.email, r.phone,"
    "              r.first_name, r.last_name, r.company, r.domain, r.roles"
    "       FROM m s JOIN dedupe.records r ON r.key OPERATOR(dedupe.&&) s.key"
    "       WHERE r.record_id OPERATOR(pg_catalog.<>) s.record_id AND " EARLIER_OR_LINKED ")"
    " SELECT s.record_id, 0::pg_catalog.int8, s.linked, s.external_id, s.email, s.phone,"
    "  s.first_name, s.last_name, s.company, s.domain, s.waiting,"
    "  dedupe._roles_text(NULLIF(s.roles, '{}'::pg_catalog.jsonb)), NULL::pg_catalog.int8"
    " FROM s"
    " UNION ALL " CANDIDATE_COLUMNS("c.of_record", "1", "l.golden_id", "c")
    " FROM c LEFT JOIN dedupe.record_links l ON l.record_id OPERATOR(pg_catalog.=) c.record_id"
    " UNION ALL"
    " SELECT s.record_id, 3::pg_catalog.int8, d.golden_id, NULL, NULL, NULL, NULL, NULL, NULL,"
    "  NULL, NULL, NULL, NULL"
    " FROM m s JOIN dedupe.distinct_pairs d ON d.record_id OPERATOR(pg_catalog.=) s.record_id",
    2);

// The rest of the candidates of the records $1, read for those on whose key candidates no rule
// decided:
//  kind 1: records with the same normalized full name or its parts swapped (a form asking for
//    surname first), at most 50; then the others of the name block (phonetic surname and first
//    initial) when it holds at most 100 records the record may be compared with. A bigger block
//    (a common surname and initial in a large table) does not single anyone out: its 50 oldest
//    records, which were read before, were a lottery for recall that cost each such record 50
//    candidate rows; counting the block to 101 is an index range. Each branch skips what an
//    earlier one found.
//  kind 2: the records of each of its role blocks (the same date of birth, identifier, postcode
//    and street, or house number and street: dedupe._role_blocks), so a typo in a name does not
//    hide the same person; at most 50 per block, block by block, each look-up the partial GIN
//    index on records.roles. The matcher reads them only when the record has further roles.
// Each record's rows come in that order (the Append's branches in turn, as above).
CachedStatement further_candidates(
    "WITH s AS MATERIALIZED (SELECT rec.* FROM dedupe.records rec"
    "   WHERE rec.record_id OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.int8[])),"
    " c AS (SELECT s.record_id AS of_record, x.* FROM s CROSS JOIN LATERAL ("
    "        SELECT r.record_id, r.external_id, r.email, r.phone, r.first_name, r.last_name,"
    "               r.company, r.domain, r.roles"
    "        FROM dedupe.records r"
    "        WHERE r.full_name OPERATOR(pg_catalog.=) ANY (ARRAY[s.full_name,"
    "              s.last_name OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) s.first_name])"
    "          AND r.record_id OPERATOR(pg_catalog.<>) s.record_id"
    "          AND (r.key OPERATOR(dedupe.&&) s.key) IS NOT TRUE AND " EARLIER_OR_LINKED
    "        LIMIT 50) x"
    "       UNION ALL"
    "       SELECT s.record_id, x.* FROM s CROSS JOIN LATERAL ("
    "        SELECT r.record_id, r.external_id, r.email, r.phone, r.first_name, r.last_name,"
    "               r.company, r.domain, r.roles"
    "        FROM dedupe.records r"
    "        WHERE " IN_NAME_BLOCK
    "          AND (r.full_name OPERATOR(pg_catalog.=) s.full_name) IS NOT TRUE"
    "          AND (r.key OPERATOR(dedupe.&&) s.key) IS NOT TRUE"
    "        ORDER BY r.record_id LIMIT 100) x"
    "       WHERE (SELECT pg_catalog.count(*) FROM (SELECT FROM dedupe.records r"
    "              WHERE " IN_NAME_BLOCK " LIMIT 101) b) OPERATOR(pg_catalog.<=) 100)"
    " " CANDIDATE_COLUMNS("c.of_record", "1", "l.golden_id", "c")
    " FROM c LEFT JOIN dedupe.record_links l ON l.record_id OPERATOR(pg_catalog.=) c.record_id"
    " UNION ALL " CANDIDATE_COLUMNS("s.record_id", "2", "x.golden_id", "x")
    " FROM s CROSS JOIN LATERAL pg_catalog.unnest(dedupe._role_blocks(s.roles)) b(block)"
    " CROSS JOIN LATERAL ("
    "   SELECT l.golden_id, r.external_id, r.email, r.phone, r.first_name, r.last_name, r.company,"
    "     r.domain, r.roles, r.record_id"
    "   FROM dedupe.records r LEFT JOIN dedupe.record_links l"
    "     ON l.record_id OPERATOR(pg_catalog.=) r.record_id"
    "   WHERE r.roles OPERATOR(pg_catalog.@>) b.block"
    "     AND r.roles OPERATOR(pg_catalog.<>) '{}'::pg_catalog.jsonb"
    "     AND r.record_id OPERATOR(pg_catalog.<>) s.record_id AND r.valid"
    "     AND (l.record_id IS NOT NULL OR r.record_id OPERATOR(pg_catalog.<) s.record_id) LIMIT "
    "50) x"
    " WHERE s.roles OPERATOR(pg_catalog.<>) '{}'::pg_catalog.jsonb",
    1);
#undef CANDIDATE_COLUMNS
#undef IN_NAME_BLOCK
#undef EARLIER_OR_LINKED

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

CachedStatement merge_on_evidence(
    "SELECT dedupe._merge_on_evidence($1::pg_catalog.int8, $2::pg_catalog.int8[],"
    " $3::pg_catalog.name)",
    3);

CachedStatement link_many(
    "SELECT u.fresh FROM pg_catalog.unnest(dedupe._link_many($1::pg_catalog.int8[],"
    " $2::pg_catalog.int8[], $3, $4::pg_catalog.float8[], $5::pg_catalog.name[],"
    " $6::pg_catalog.jsonb[])) WITH ORDINALITY u(fresh, k) ORDER BY u.k",
    6);

// The plain decisions of a flush (a record that was in no golden record joins one, or starts
// its own), kept until something reads what they would write and then written set-based by
// dedupe._link_many: links, audit rows and survivorship in one statement each instead of one
// _link call per record. It also remembers, for the rest of the flush, the golden record each
// decision put its record in (a new golden record has a stand-in id, -1, -2, ..., until
// written): the candidates were read before any decision, and a candidate matched earlier in
// the flush belongs where it was put, not where it was read.
class PendingLinks {
 public:
  void add(int64_t record, std::optional<int64_t> golden, const std::string& rule,
           const std::string& score, const std::string& actor, const std::string& explanation) {
    const int64_t target = golden ? *golden : -static_cast<int64_t>(++fresh_);
    decided_[record] = target;
    if (target < 0) stand_ins_.push_back(record);  // a new golden record, or one joining it
    columns_[0].push_back(std::to_string(record));
    columns_[1].push_back(std::to_string(target));
    columns_[2].push_back(rule);
    columns_[3].push_back(score);
    columns_[4].push_back(actor);
    columns_[5].push_back(explanation);
  }
  // A record the flush put in a golden record (or in none) by other means than add().
  void settle(int64_t record, std::optional<int64_t> golden) {
    decided_[record] = golden.value_or(kInNoGolden);
  }
  // Golden records the flush merged into `kept`.
  void absorb(const std::vector<int64_t>& goldens, int64_t kept) {
    for (int64_t g : goldens)
      if (g != kept) merged_[g] = kept;
  }
  // Where the members of a golden record as read are after the flush's merges.
  int64_t survivor(int64_t golden) const {
    for (auto it = merged_.find(golden); it != merged_.end(); it = merged_.find(golden))
      golden = it->second;
    return golden;
  }
  std::optional<int64_t> survivor(const std::optional<int64_t>& golden) const {
    if (!golden) return std::nullopt;
    return survivor(*golden);
  }
  // The golden record of a candidate read as in `as_read`, after the flush's decisions.
  std::optional<int64_t> golden_of(int64_t record, std::optional<int64_t> as_read) const {
    const auto it = decided_.find(record);
    if (it == decided_.end()) return survivor(as_read);
    if (it->second == kInNoGolden) return std::nullopt;
    return it->second < 0 ? it->second : survivor(it->second);  // a stand-in is never merged
  }
  // Writes what is pending; returns the ids the stand-ins became (-k at k - 1).
  std::vector<int64_t> write() {
    std::vector<int64_t> created;
    if (columns_[0].empty()) return created;
    const uint64 n = link_many.run_columns(columns_);
    for (uint64 i = 0; i < n; ++i) created.push_back(SpiRows::int8(i, 1).value());
    if (created.size() != fresh_)
      throw Error("XX000", "dedupe._link_many created too few golden records");
    for (int64_t record : stand_ins_) {
      int64_t& golden = decided_.at(record);
      if (golden < 0) golden = created.at(static_cast<size_t>(-golden - 1));
    }
    stand_ins_.clear();
    for (auto& column : columns_) column.clear();
    fresh_ = 0;
    return created;
  }

 private:
  static constexpr int64_t kInNoGolden = 0;  // golden ids are positive, stand-ins negative
  std::map<int64_t, int64_t> decided_;
  std::map<int64_t, int64_t> merged_;  // absorbed golden record -> the one that kept its members
  std::vector<int64_t> stand_ins_;     // records of decided_ whose golden record is a stand-in
  std::vector<std::vector<std::optional<std::string>>> columns_{6};
  size_t fresh_ = 0;
};

CachedStatement other_members(
    "SELECT EXISTS (SELECT FROM dedupe.record_links l WHERE l.golden_id = $2::pg_catalog.int8"
    "               AND l.record_id OPERATOR(pg_catalog.<>) $1::pg_catalog.int8)",
    2);

CachedStatement detach(
    "SELECT dedupe._detach($1::pg_catalog.int8, $2::pg_catalog.name, $3::pg_catalog.jsonb)", 3);

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
                   d.conflicting.empty() ? Text() : Text(int8_array_text(d.conflicting)), d.rule,
                   score, actor, explanation});
}

// How many staged records' state and key candidates one statement reads (a COPY flushes
// thousands): enough to spend the statement's fixed cost on many, few enough to keep their rows
// in memory.
constexpr size_t kRecordsReadAtOnce = 500;

enum RowKind : int64_t { kState = 0, kCandidate = 1, kRoleBlockCandidate = 2, kDistinctGolden = 3 };

// A stand-in id of PendingLinks in a decision made before they were written, as the golden
// record it became.
int64_t written_golden(int64_t golden, const std::vector<int64_t>& created) {
  return golden < 0 ? created.at(static_cast<size_t>(-golden - 1)) : golden;
}

// One row of records_and_key_candidates or further_candidates, copied out of SPI's result.
struct CandidateRow {
  int64_t kind;
  std::optional<int64_t> golden;     // as read (kState: the golden record it is linked to)
  std::optional<int64_t> record_id;  // the candidate's (none for kState and kDistinctGolden)
  bool waiting;                      // kState: waits in the review queue
  golden::Person person;
};

CandidateRow candidate_row(uint64 i) {
  CandidateRow row{SpiRows::int8(i, 2).value(),
                   SpiRows::int8(i, 3),
                   SpiRows::int8(i, 13),
                   SpiRows::boolean(i, 11).value_or(false),
                   {}};
  if (row.kind != kDistinctGolden) row.person = person_at_row(i, 4, 12);
  return row;
}

using RowsByRecord = std::map<int64_t, std::vector<CandidateRow>>;

// The rows of the last result, by the record they are about (column 1), in the order read.
RowsByRecord rows_by_record(uint64 rows) {
  RowsByRecord by_record;
  for (uint64 i = 0; i < rows; ++i)
    by_record[SpiRows::int8(i, 1).value()].push_back(candidate_row(i));
  return by_record;
}

// Appends the candidates among `rows`, and notes the golden records a human called distinct.
// Role-block candidates count only for a record with further roles. A candidate matched earlier
// in this flush is in the golden record decided for it (PendingLinks); one in no golden record
// (waiting in the match queue, say) is no candidate.
void add_candidates(const std::vector<CandidateRow>& rows, const golden::Person& person,
                    const PendingLinks& pending, std::vector<golden::Candidate>& found,
                    std::set<int64_t>& distinct_goldens) {
  for (const CandidateRow& row : rows) {
    if (row.kind == kState) continue;
    if (row.kind == kDistinctGolden) {
      distinct_goldens.insert(pending.survivor(row.golden.value()));
      continue;
    }
    if (row.kind == kRoleBlockCandidate && person.more.empty()) continue;
    const std::optional<int64_t> golden = pending.golden_of(row.record_id.value(), row.golden);
    if (!golden) continue;
    golden::Candidate c;
    c.golden_id = *golden;
    c.member = row.person;
    found.push_back(std::move(c));
  }
}

// Whether a staged record is matched: it is in no golden record yet and not already waiting
// for a human, or an update changed its identity.
bool to_be_matched(const StagedMatch& staged, const CandidateRow& state) {
  return state.golden ? staged.identity_changed : !state.waiting;
}

// What a record's key candidates say as the flush stands: the candidates in their golden
// records, and the rules' decision on them (no rule: the model decides, on all candidates).
struct KeyCandidates {
  std::vector<golden::Candidate> found;
  std::set<int64_t> distinct_goldens;
  golden::Decision by_rules;
};

void mark_distinct(KeyCandidates& k) {
  for (golden::Candidate& c : k.found) c.distinct = k.distinct_goldens.count(c.golden_id) > 0;
}

KeyCandidates key_candidates(const std::vector<CandidateRow>& read, const PendingLinks& pending) {
  KeyCandidates k;
  const golden::Person& person = read.front().person;
  add_candidates(read, person, pending, k.found, k.distinct_goldens);
  mark_distinct(k);
  k.by_rules = golden::decide_by_rules(person, k.found);
  return k;
}

// The further candidates of a chunk of records, read in one statement for those on whose key
// candidates no rule decided when the chunk was read. Decisions made since can change that
// (a candidate that then had no golden record has one now); such a record has them read alone.
struct FurtherCandidates {
  std::set<int64_t> read_for;
  RowsByRecord rows;
};

FurtherCandidates read_further_candidates(const std::vector<int64_t>& records) {
  FurtherCandidates further;
  further.read_for.insert(records.begin(), records.end());
  if (!records.empty())
    further.rows = rows_by_record(further_candidates.run({int8_array_text(records)}));
  return further;
}

// The decision on every candidate: the rules' on the key candidates, else the model's on them
// and the further candidates (the rules cannot apply to those: see records_and_key_candidates).
golden::Decision decide_for(int64_t record, const golden::Person& person, KeyCandidates k,
                            const FurtherCandidates& further, const WritePathPolicy& policy,
                            const PendingLinks& pending) {
  if (!k.by_rules.rule.empty()) return k.by_rules;
  const FurtherCandidates alone =
      further.read_for.count(record) ? FurtherCandidates{} : read_further_candidates({record});
  const RowsByRecord& rows = further.read_for.count(record) ? further.rows : alone.rows;
  if (const auto it = rows.find(record); it != rows.end())
    add_candidates(it->second, person, pending, k.found, k.distinct_goldens);
  mark_distinct(k);
  return golden::decide(person, k.found, policy.thresholds, policy.model);
}

// A link on rules naming several golden records: the others are merged into one (the oldest)
// and the record links there; where they cannot be (dedupe._merge_on_evidence says why) or the
// record is an update (it may be the only member of one of them), it becomes a conflict.
void merge_named_goldens(const StagedMatch& staged, const std::optional<int64_t>& linked_to,
                         golden::Decision& d, PendingLinks& pending) {
  std::optional<int64_t> kept;
  if (!linked_to && merge_on_evidence.run({std::to_string(staged.record_id),
                                           int8_array_text(d.conflicting), staged.actor}) == 1)
    kept = SpiRows::int8(0, 1);
  if (!kept) return golden::as_conflict_review(d);
  pending.absorb(d.conflicting, *kept);
  d.golden_id = *kept;
}

// Matches one staged record, given what records_and_key_candidates read about it (its state
// row first) and the further candidates read for its chunk.
void match_one(const StagedMatch& staged, const std::vector<CandidateRow>& read,
               const FurtherCandidates& further, const WritePathPolicy& policy,
               PendingLinks& pending) {
  const std::string id = std::to_string(staged.record_id);
  const std::string& actor = staged.actor;
  if (read.empty() || read.front().kind != kState)
    throw Error("XX000", "the matcher's first row is not the record's state");
  const golden::Person& person = read.front().person;
  const std::optional<int64_t> linked_to = pending.survivor(read.front().golden);
  if (!linked_to && read.front().waiting) return;  // already waiting for a human

  golden::Decision d;
  if (to_be_matched(staged, read.front())) {
    d = decide_for(staged.record_id, person, key_candidates(read, pending), further, policy,
                   pending);
    // The common case waits for the flush's set-based write.
    if (!linked_to && d.action != golden::Action::kReview && d.conflicting.empty()) {
      pending.add(
          staged.record_id,
          d.action == golden::Action::kLink ? std::optional<int64_t>(d.golden_id) : std::nullopt,
          d.action == golden::Action::kLink ? d.rule : "new_golden_record:" + d.rule,
          std::to_string(d.score), actor, golden::to_json(d));
      return;
    }
  }
  // Everything else reads golden records or membership: what is pending is written first.
  const std::vector<int64_t> created = pending.write();
  d.golden_id = written_golden(d.golden_id, created);
  for (int64_t& g : d.conflicting) g = written_golden(g, created);
  if (d.action == golden::Action::kLink && !d.conflicting.empty())
    merge_named_goldens(staged, linked_to, d, pending);

  // An update of a linked record: its golden values follow. When its identity changed it is
  // matched again: with other members it leaves if the new values point elsewhere; as the
  // only member it joins (or is reviewed against) the golden record they point to, and its old
  // one is absorbed (a new person in an empty golden record is the same golden record).
  if (linked_to && !staged.identity_changed) {
    recompute.run({std::to_string(*linked_to)});
    return;
  }
  const bool only_member = linked_to && other_members.run({id, std::to_string(*linked_to)}) == 1 &&
                           SpiRows::boolean(0, 1) == std::optional<bool>(false);
  const std::string explanation = golden::to_json(d);
  const std::string score = std::to_string(d.score);
  if (only_member && d.action != golden::Action::kLink) {
    recompute.run(
        {std::to_string(*linked_to)});  // stays in its golden record until a human decides
    if (d.action == golden::Action::kReview) open_review_for(id, d, score, actor, explanation);
    return;
  }
  if (linked_to && !only_member) {
    if (d.action == golden::Action::kLink && d.golden_id == *linked_to) {
      recompute.run({std::to_string(*linked_to)});
      return;
    }
    detach.run({id, actor, explanation});  // the evidence no longer points at its golden record
    pending.settle(staged.record_id, std::nullopt);
  }
  Text target;
  std::string rule;
  switch (d.action) {
    case golden::Action::kLink:
      target = std::to_string(d.golden_id);
      rule = d.rule;
      break;
    case golden::Action::kNewGolden:
      rule = "new_golden_record:" + d.rule;
      break;
    case golden::Action::kReview:
      // A record waiting for a human is still someone: it starts a golden record of its own
      // (later rows of the same person find it there), and the review item proposes moving
      // it into the golden record the evidence points at. A conflict the model found (several
      // golden records above the link threshold, likely one person, as batch's clusters would
      // say) joins the one it matches best, and the item proposes merging the others into it.
      // A record here is in no golden record: new, or just detached from one it shared.
      // Audited as 'match_probability:in_review' or 'evidence:in_review' (whose conflict it is).
      if (d.joins_while_reviewed) target = std::to_string(d.golden_id);
      rule = !d.joins_while_reviewed                             ? "new_golden_record:in_review"
             : d.rule == "evidence_names_several_golden_records" ? "evidence:in_review"
                                                                 : "match_probability:in_review";
      break;
  }
  link.run({id, target, rule, score, actor, explanation});
  pending.settle(staged.record_id, SpiRows::int8(0, 1));
  if (d.action == golden::Action::kReview) open_review_for(id, d, score, actor, explanation);
}

// Gives every staged record without any candidate its own golden record in one statement per
// actor (a bulk load of new people); returns the records it handled.
std::set<int64_t> start_golden_records_in_bulk(const std::vector<StagedMatch>& staged,
                                               const std::vector<int64_t>& ids,
                                               const WritePathPolicy& policy) {
  std::set<int64_t> handled;
  if (staged.size() < 2) return handled;  // one row: the ordinary path costs the same
  const uint64 n = without_candidates.run({int8_array_text(ids)});
  for (uint64 i = 0; i < n; ++i) handled.insert(SpiRows::int8(i, 1).value());
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
    new_golden_records.run({int8_array_text(records), actor, explanation});
  }
  return handled;
}

// Matches a chunk of staged records in record order: their state and key candidates read in
// one statement, the further candidates of those on whose key candidates no rule decides in
// one more.
void match_chunk(const std::vector<StagedMatch>& chunk, const WritePathPolicy& policy,
                 PendingLinks& pending) {
  std::vector<int64_t> ids;
  std::string changed = "{";
  for (const StagedMatch& s : chunk) {
    changed += std::string(ids.empty() ? "" : ",") + (s.identity_changed ? "t" : "f");
    ids.push_back(s.record_id);
  }
  const RowsByRecord read =
      rows_by_record(records_and_key_candidates.run({int8_array_text(ids), changed + "}"}));
  std::vector<int64_t> undecided;
  for (const StagedMatch& s : chunk) {
    const auto it = read.find(s.record_id);
    if (it != read.end() && to_be_matched(s, it->second.front()) &&
        key_candidates(it->second, pending).by_rules.rule.empty())
      undecided.push_back(s.record_id);
  }
  const FurtherCandidates further = read_further_candidates(undecided);
  for (const StagedMatch& s : chunk) {
    check_for_interrupts();
    const auto it = read.find(s.record_id);
    if (it == read.end()) continue;  // invalid (flagged) records are not matched
    match_one(s, it->second, further, policy, pending);
  }
}

}  // namespace

WritePathPolicy read_write_path_policy() {
  OwnerRights rights;
  SpiSession spi;
  WritePathPolicy policy{golden::Thresholds{}, golden::cold_start_model()};
  if (thresholds_query.run({}) == 1) {
    if (const Text review = SpiRows::text(0, 1)) policy.thresholds.review = std::stod(*review);
    if (const Text auto_link = SpiRows::text(0, 2))
      policy.thresholds.auto_link = std::stod(*auto_link);
  }
  if (write_path_model_version.run({}) == 1) {
    const std::string version = SpiRows::text(0, 1).value_or("");
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
  lock_components.run({int8_array_text(ids)});
  const WritePathPolicy policy = read_write_path_policy();
  // a row staged twice in one statement is matched once
  std::set<int64_t> done = start_golden_records_in_bulk(staged, ids, policy);
  // In record order, which is the order they were written in: each sees those before it, as
  // it would have one INSERT at a time, and none after it.
  std::vector<StagedMatch> in_order(staged.begin(), staged.end());
  std::stable_sort(
      in_order.begin(), in_order.end(),
      [](const StagedMatch& a, const StagedMatch& b) { return a.record_id < b.record_id; });
  std::vector<StagedMatch> todo;
  for (const StagedMatch& s : in_order)
    if (done.insert(s.record_id).second) todo.push_back(s);
  PendingLinks pending;
  for (size_t start = 0; start < todo.size(); start += kRecordsReadAtOnce) {
    const size_t end = std::min(todo.size(), start + kRecordsReadAtOnce);
    match_chunk({todo.begin() + start, todo.begin() + end}, policy, pending);
  }
  pending.write();
}

}  // namespace dedupe::pg
