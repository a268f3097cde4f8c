// dedupe.candidate_pairs(), dedupe.cluster(), dedupe._estimate_model() (behind dedupe.train)
// and dedupe.blocking_rules(): read the source through SPI, run the core's batch matcher,
// and return rows through a tuplestore (materialized, so a large result spills to disk
// under work_mem instead of staying in memory).
#include <cmath>

#include "core/cluster/batch.hpp"
#include "core/cluster/blocking.hpp"
#include "core/error.hpp"
#include "core/match/explain.hpp"
#include "core/match/training.hpp"
#include "pg/batch_run.hpp"
#include "pg/datum_io.hpp"
#include "pg/spi_session.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"
}

namespace dedupe::pg {
namespace {

struct Output {
  Tuplestorestate* store;
  TupleDesc desc;
};

Output materialized_output(FunctionCallInfo fcinfo) {
  return pg_call([&] {
    InitMaterializedSRF(fcinfo, 0);
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    return Output{rsinfo->setResult, rsinfo->setDesc};
  });
}

std::optional<std::string> optional_text(FunctionCallInfo fcinfo, int n) {
  if (PG_ARGISNULL(n)) return std::nullopt;
  return std::string(text_arg(fcinfo, n));
}

// The blocking rules named by a text[] argument, or the automatic ones when it is NULL.
std::vector<std::string> blocking_rules_arg(FunctionCallInfo fcinfo, int n,
                                            const match::RecordSet& set) {
  if (PG_ARGISNULL(n)) return cluster::automatic_rules(set);
  Datum* items = nullptr;
  bool* nulls = nullptr;
  int count = 0;
  pg_call([&] {
    deconstruct_array(PG_GETARG_ARRAYTYPE_P(n), TEXTOID, -1, false, TYPALIGN_INT, &items, &nulls,
                      &count);
  });
  std::vector<std::string> rules;
  for (int i = 0; i < count; ++i) {
    if (nulls[i]) throw Error(sqlstate::kInvalidParameterValue, "blocking rules must not be NULL");
    rules.push_back(pg_call([&] { return TextDatumGetCString(items[i]); }));
  }
  return rules;
}

double probability_arg(FunctionCallInfo fcinfo, int n, const char* name, double fallback) {
  if (PG_ARGISNULL(n)) return fallback;
  const double p = PG_GETARG_FLOAT8(n);
  if (!(p >= 0 && p <= 1))
    throw Error(
        sqlstate::kInvalidParameterValue,
        std::string(name) + " must be a probability between 0 and 1, not " + std::to_string(p));
  return p;
}

// Everything a scoring function needs, read and prepared under one SPI connection.
struct Prepared {
  match::RecordSet set;
  match::Model model;
  cluster::CandidatePairs pairs;
};

Prepared prepare(FunctionCallInfo fcinfo, const char* function, int model_arg, int blocking_arg,
                 const match::RunControl& control) {
  const BatchSource source = batch_source_args(fcinfo);
  const std::optional<std::string> model_name = optional_text(fcinfo, model_arg);
  SpiSession spi;
  const BatchMapping mapping = read_mapping(source.mapping);
  Prepared out{read_records(source, mapping, control)};
  const std::vector<std::string> rules = blocking_rules_arg(fcinfo, blocking_arg, out.set);
  cluster::check_rules(out.set, rules);
  out.model = model_name ? load_model(*model_name) : match::train(out.set, {}, control);
  cluster::BlockingOptions options;
  options.max_pairs = static_cast<uint64_t>(batch_max_pairs());
  out.pairs = cluster::block(out.set, rules, options, control);
  return out;
}

}  // namespace
}  // namespace dedupe::pg

using namespace dedupe;
using namespace dedupe::pg;

DEDUPE_FUNCTION(dedupe_candidate_pairs) {
  const double min_score = probability_arg(fcinfo, 3, "min_score", 0);
  const Output out = materialized_output(fcinfo);
  const match::RunControl control = batch_run_control("dedupe.candidate_pairs");
  Prepared p = prepare(fcinfo, "dedupe.candidate_pairs", 4, 5, control);
  match::Scorer scorer(p.model, p.set);
  std::vector<Datum> rule_names;
  for (const std::string& rule : p.pairs.rules()) rule_names.push_back(text_datum(rule));
  cluster::score_pairs(
      p.set, p.pairs, scorer, min_score, control, [&](const cluster::ScoredPair& s) {
        size_t rule = 0;
        while (&p.pairs.rules()[rule] != s.rule) ++rule;
        Datum values[6] = {Int64GetDatum(p.set.row_id(s.a)),
                           Int64GetDatum(p.set.row_id(s.b)),
                           Float8GetDatum(s.probability),
                           Float8GetDatum(s.match_weight),
                           rule_names[rule],
                           s.evidence ? text_datum(s.evidence) : static_cast<Datum>(0)};
        bool nulls[6] = {false, false, false, false, false, s.evidence == nullptr};
        // Ids in the pair's order: smaller first, as documented.
        if (p.set.row_id(s.a) > p.set.row_id(s.b)) std::swap(values[0], values[1]);
        pg_call([&] { tuplestore_putvalues(out.store, out.desc, values, nulls); });
      });
  return static_cast<Datum>(0);
}

DEDUPE_FUNCTION(dedupe_cluster) {
  const double threshold = probability_arg(fcinfo, 3, "threshold", 0.9);
  const Output out = materialized_output(fcinfo);
  const match::RunControl control = batch_run_control("dedupe.cluster");
  Prepared p = prepare(fcinfo, "dedupe.cluster", 4, 5, control);
  match::Scorer scorer(p.model, p.set);
  const cluster::Clustering c =
      cluster::cluster_records(p.set, p.pairs, scorer, threshold, control);
  for (size_t i = 0; i < p.set.size(); ++i) {
    if (i % 4096 == 0) control.check_interrupt();
    Datum values[4] = {Int64GetDatum(p.set.row_id(i)), Int64GetDatum(c.cluster_id[i]),
                       Int32GetDatum(static_cast<int32>(c.size[i])), Float8GetDatum(c.min_link[i])};
    bool nulls[4] = {false, false, false, std::isnan(c.min_link[i])};
    pg_call([&] { tuplestore_putvalues(out.store, out.desc, values, nulls); });
  }
  match::Progress done{"done", p.set.size(), p.pairs.size(), c.clusters};
  done.final = true;
  control.progress(done);
  return static_cast<Datum>(0);
}

DEDUPE_FUNCTION(dedupe_estimate_model) {
  const match::RunControl control = batch_run_control("dedupe.train");
  const BatchSource source = batch_source_args(fcinfo);
  std::string json;
  {
    SpiSession spi;
    const BatchMapping mapping = read_mapping(source.mapping);
    const match::RecordSet set = read_records(source, mapping, control);
    json = match::train(set, {}, control).to_json();
  }
  return pg_call([&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str())); });
}

DEDUPE_FUNCTION(dedupe_blocking_rules) {
  const Output out = materialized_output(fcinfo);
  for (const auto& [rule, description] : cluster::blocking_rule_catalog()) {
    Datum values[2] = {text_datum(rule), text_datum(description)};
    bool nulls[2] = {false, false};
    pg_call([&] { tuplestore_putvalues(out.store, out.desc, values, nulls); });
  }
  return static_cast<Datum>(0);
}

// dedupe.explain(source, id_column, mapping, id_a, id_b, model, threshold, blocking): the
// pair as dedupe.candidate_pairs and dedupe.cluster score it, comparison by comparison.
DEDUPE_FUNCTION(dedupe_explain_batch_pair) {
  for (int i = 3; i < 5; ++i)
    if (PG_ARGISNULL(i))
      throw Error("22004", i == 3 ? "id_a must not be NULL" : "id_b must not be NULL");
  const int64_t id_a = PG_GETARG_INT64(3), id_b = PG_GETARG_INT64(4);
  const double threshold = probability_arg(fcinfo, 6, "threshold", 0.9);
  const match::RunControl control = batch_run_control("dedupe.explain");
  Prepared p = prepare(fcinfo, "dedupe.explain", 5, 7, control);
  const auto record_of = [&](int64_t id) {
    for (size_t i = 0; i < p.set.size(); ++i)
      if (p.set.row_id(i) == id) return static_cast<uint32_t>(i);
    throw Error(sqlstate::kInvalidParameterValue,
                "no row of the source has id " + std::to_string(id), {},
                "id_a and id_b are values of the id column");
  };
  match::ExplainRequest request;
  request.a = record_of(id_a);
  request.b = record_of(id_b);
  if (request.a == request.b)
    throw Error(sqlstate::kInvalidParameterValue, "id_a and id_b name the same row");
  request.threshold = threshold;
  request.blocking_rule = p.pairs.find(request.a, request.b);
  match::Scorer scorer(p.model, p.set);
  const std::string json = match::explain_json(p.set, scorer, request);
  return pg_call([&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str())); });
}
