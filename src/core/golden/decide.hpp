// The write path's decision for a new record against its candidates: the deterministic rules
// first (golden/match_rules.hpp), then the same Fellegi-Sunter scoring as batch
// (match/model.hpp: the same comparisons, levels and Scorer) over the roles a watched table
// maps. Evidence against counts: a different email, phone, given name or employer lowers the
// match probability, so namesakes start golden records of their own instead of filling the
// review queue.
#pragma once

#include <cstdint>
#include <vector>

#include "core/golden/match_rules.hpp"
#include "core/match/model.hpp"
#include "core/match/run_control.hpp"

namespace dedupe::golden {

// Named further roles (as a watched table's record holds them) as the matcher's roles;
// unknown names are left out.
std::vector<std::pair<match::Role, std::string>> more_roles(
    const std::vector<std::pair<std::string, std::string>>& named);

// The roles the write path compares, in role order.
const std::vector<match::Role>& write_path_roles();

// The built-in model for watched sources, used until dedupe.models holds one named
// 'write_path' (dedupe.train over dedupe.records, or set by hand). Its m and u are chosen,
// not estimated: names alone reach the review band, a shared key or a close email links,
// and each different email, phone or employer counts against (see the README's table).
const match::Model& cold_start_model();

// A record set of the write path's records as decide() compares them: write_path_roles(), the
// values taken as dedupe.records holds them (normalized already), no blocking keys. Add each
// record with add_record(). decide() and estimate_model() both read records through these two,
// so the model is estimated on the comparisons it is used for.
match::RecordSetBuilder record_builder();
void add_record(match::RecordSetBuilder& builder, int64_t row, const Person& p);

// Fewer records than this are too few to estimate a model from whatever an admin set
// (dedupe.settings model_estimation_min_records, default 1000, may not go below it).
inline constexpr uint64_t kMinRecordsToEstimate = 100;
// A role with a value in fewer records than this keeps the cold-start model's m and u.
inline constexpr uint64_t kMinValuesToEstimate = 100;

// The write path's model estimated without labels from its records (a set from
// record_builder()), by batch's estimation (match::train: u from random pairs, m by EM over
// blocked pairs, lambda from the sessions). Roles with too few values keep the cold-start
// parameters, so the model covers every role the write path compares; an employer's name and
// its mail domain stay one fact told twice, as in the cold-start model (their correction is
// the estimated weight of an agreeing domain). training says how: {"method": "em", "records",
// "u_pairs", "sessions", "cold_start_roles"}. Throws Error(55000) below kMinRecordsToEstimate.
match::Model estimate_model(const match::RecordSet& records, const match::RunControl& control);

// Every Person's values are normalized already, as dedupe.records holds them (the comparisons
// take them as they are).
Decision decide(const Person& record, const std::vector<Candidate>& candidates,
                const Thresholds& thresholds, const match::Model& model);

// Every comparison between two records, and what decide() would make of them alone.
Decision explain_pair(const Person& a, const Person& b, const Thresholds& thresholds,
                      const match::Model& model);

}  // namespace dedupe::golden
