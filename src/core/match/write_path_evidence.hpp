// The write path's deterministic rules (core/golden/match_rules: the rules that decide a
// watched row's golden record) applied to one pair of a batch run, so that dedupe.cluster
// and the trigger agree on the cases neither needs a model for:
//  * the same external id, or the same email unless the names clearly contradict, or the
//    same phone with agreeing names: the write path links the two rows, so the batch pair
//    is a link whatever its Fellegi-Sunter score (probability 1);
//  * the same email or phone with clearly contradicting names (a shared family mailbox, a
//    switchboard) or with two dates of birth (a household): the write path does not link on
//    that evidence, so the batch score leaves those roles out and lets the other roles decide.
// Everything else (fuzzy names, the same phone with names neither agreeing nor
// contradicting) is the Fellegi-Sunter model's call in batch and the similarity
// thresholds' on the write path; the two may differ there.
#pragma once

#include <cstdint>

#include "core/match/record_set.hpp"

namespace dedupe::match {

enum class EvidenceKind : unsigned char { kNone, kLink, kIgnoreKeys };

struct WritePathEvidence {
  EvidenceKind kind = EvidenceKind::kNone;
  const char* rule = nullptr;  // the write path's rule name ('same_email', ...); null for kNone
  uint32_t ignored_roles = 0;  // for kIgnoreKeys: bit role_index(r) per role left out
};

inline uint32_t role_bit(Role role) { return uint32_t{1} << role_index(role); }

// Bits (role_bit) of external_id, email and phone on which records a and b hold the same
// normalized value; 0 when they share none (the common case: no rule applies).
uint32_t shared_identity(const RecordSet& set, uint32_t a, uint32_t b);

// What the write path's rules say about records a and b; `shared` is shared_identity(a, b).
WritePathEvidence write_path_evidence(const RecordSet& set, uint32_t a, uint32_t b,
                                      uint32_t shared);

}  // namespace dedupe::match
