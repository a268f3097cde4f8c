#include "core/match/explain.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/json_string.hpp"
#include "core/match/comparisons.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::match {
namespace {

// Round-trip precision: a score read back from the JSON equals the float8 candidate_pairs
// returns for the pair.
std::string number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void value_to(std::string& out, const RecordSet& set, Role role, uint32_t record) {
  const uint32_t id = set.id(role, record);
  if (id == kNull) {
    out += "null";
  } else {
    append_json_string(out, set.value(role, id).text);
  }
}

}  // namespace

std::string explain_json(const RecordSet& set, const Scorer& scorer,
                         const ExplainRequest& request) {
  const uint32_t first = std::min(request.a, request.b), second = std::max(request.a, request.b);
  const PairExplanation e = scorer.explain(first, second);
  std::string out = "{\"id_a\": " + std::to_string(set.row_id(request.a)) +
                    ", \"id_b\": " + std::to_string(set.row_id(request.b)) +
                    ", \"blocking_rule\": ";
  if (request.blocking_rule) {
    append_json_string(out, *request.blocking_rule);
  } else {
    out += "null";
  }
  out += ", \"prior_weight\": " + number(e.prior_weight) + ", \"comparisons\": [";
  for (size_t i = 0; i < e.comparisons.size(); ++i) {
    const ComparisonExplanation& c = e.comparisons[i];
    if (i) out += ", ";
    out += "{\"role\": \"" + std::string(role_name(c.role)) + "\", \"value_a\": ";
    value_to(out, set, c.role, request.a);
    out += ", \"value_b\": ";
    value_to(out, set, c.role, request.b);
    out += ", \"level\": ";
    append_json_string(out, comparison_def(c.role).levels[c.level]);
    if (c.level == kNullLevel) {
      out += ", \"m\": null, \"u\": null";
    } else {
      out += ", \"m\": " + number(c.m) + ", \"u\": " + number(c.u);
    }
    if (c.value_frequency > 0) out += ", \"value_frequency\": " + number(c.value_frequency);
    out += ", \"weight\": " + number(c.weight);
    if (c.capped) out += ", \"capped_at_exact\": true";
    if (c.ignored) out += ", \"ignored\": true";
    out += "}";
  }
  out += "], \"dependence_correction\": " + number(e.dependence_correction) +
         ", \"match_weight\": " + number(e.score.match_weight) +
         ", \"model_probability\": " + number(Scorer::probability(e.score.match_weight)) +
         ", \"write_path_rule\": ";
  if (e.score.evidence) {
    append_json_string(out, e.score.evidence);
  } else {
    out += "null";
  }
  out += ", \"write_path_links\": ";
  out += e.score.rule_link ? "true" : "false";
  out += ", \"score\": " + number(e.score.probability) +
         ", \"threshold\": " + number(request.threshold) + ", \"decision\": \"";
  out += e.score.probability >= request.threshold ? "link" : "no_link";
  out += "\"}";
  return out;
}

}  // namespace dedupe::match
