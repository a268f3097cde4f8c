// Estimating a Fellegi-Sunter model from unlabeled data, as Splink does:
//  * u from random pairs (almost all random pairs are non-matches); the exact level's u is
//    computed from the value frequencies directly;
//  * m by expectation-maximization over pairs blocked on exact equality of one or two roles
//    (date of birth; given and family name; postcode; email; phone; ...). Each such training
//    session cannot learn the roles it blocked on (they always agree), so it estimates the
//    others; every role's m is the average over the sessions that could estimate it;
//  * lambda (the chance that two random records match) from each session's share of matches,
//    corrected for the share of matches its blocking rule can see.
#pragma once

#include <cstdint>

#include "core/match/em.hpp"
#include "core/match/model.hpp"
#include "core/match/record_set.hpp"
#include "core/match/run_control.hpp"

namespace dedupe::match {

struct TrainOptions {
  uint64_t u_pairs = 1'000'000;  // random pairs for u (all pairs when there are fewer)
  uint64_t em_pairs = 300'000;   // blocked pairs per EM session (sampled when more)
  int max_iterations = 100;
  uint64_t seed = 20240607;  // fixed: the same data gives the same model
};

LevelTable estimate_u(const RecordSet& set, const TrainOptions& options, const RunControl& control,
                      uint64_t* pairs_used = nullptr,
                      std::vector<Dependence>* dependence = nullptr);

Model train(const RecordSet& set, const TrainOptions& options, const RunControl& control);

// Starting (and fallback) m for a role: most matches agree exactly, few disagree.
std::vector<double> default_m(Role role);

}  // namespace dedupe::match
