// The write path's decision for a new record against its candidates: the deterministic rules
// first (golden/match_rules.hpp), then the same Fellegi-Sunter scoring as batch
// (match/model.hpp: the same comparisons, levels and Scorer) over the roles a watched table
// maps. Evidence against counts: a different email, phone, given name or employer lowers the
// match probability, so namesakes start golden records of their own instead of filling the
// review queue.
#pragma once

#include <vector>

#include "core/golden/match_rules.hpp"
#include "core/match/model.hpp"

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

// Every Person's values are normalized already, as dedupe.records holds them (the comparisons
// take them as they are).
Decision decide(const Person& record, const std::vector<Candidate>& candidates,
                const Thresholds& thresholds, const match::Model& model);

// Every comparison between two records, and what decide() would make of them alone.
Decision explain_pair(const Person& a, const Person& b, const Thresholds& thresholds,
                      const match::Model& model);

}  // namespace dedupe::golden
