// GiST support for dedupe.fuzzy_gist_ops (nearest neighbours by folded edit distance). A leaf
// keeps fold(value) itself (exact distances, no recheck) unless it is longer than
// kMaxExactBytes; then, like every inner key, it is a Region: a trigram signature plus the
// range of lengths below it, from which the core computes a lower bound on the edit
// distance. The consistent function also answers the % strategies correctly, though the
// opclass does not list those operators (see control/sql/43_fuzzy_gist.sql).
#include "pg/fuzzy_query.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "core/similarity/fuzzy_keys.hpp"
#include "core/similarity/metrics.hpp"
#include "core/similarity/myers.hpp"
#include "core/similarity/signature.hpp"
#include "pg/datum_io.hpp"

extern "C" {
#include "access/gist.h"
#include "access/skey.h"
#include "utils/memutils.h"
}

namespace {

using dedupe::fuzzy::Region;
using dedupe::fuzzy::Signature;

// Folded values up to this size stay whole in leaves (person and company names do).
constexpr size_t kMaxExactBytes = 256;

enum KeyKind : uint8 { kExact = 1, kRegion = 2 };

struct GistKey {
  int32 vl_len_;
  uint8 kind;
  uint8 padding[3];
  uint32 min_length;  // code points
  uint32 max_length;
  char payload[FLEXIBLE_ARRAY_MEMBER];  // kExact: folded UTF-8; kRegion: Signature
};

const GistKey* key_of(Datum d) {
  // Keys have plain storage: stored whole, so detoasting (which can fail) is rarely needed.
  if (!VARATT_IS_EXTENDED(DatumGetPointer(d)))
    return reinterpret_cast<GistKey*>(DatumGetPointer(d));
  return dedupe::pg::pg_call([&] { return reinterpret_cast<GistKey*>(PG_DETOAST_DATUM(d)); });
}

std::string_view exact_text(const GistKey* k) {
  return {k->payload, VARSIZE(k) - offsetof(GistKey, payload)};
}

Region region_of(const GistKey* k) {
  Region r;
  r.min_length = k->min_length;
  r.max_length = k->max_length;
  if (k->kind == kExact) {
    r.signature =
        dedupe::fuzzy::signature_of(dedupe::fuzzy::gram_keys(dedupe::code_points(exact_text(k))));
  } else {
    memcpy(r.signature.words, k->payload, sizeof r.signature.words);
  }
  return r;
}

Datum make_key(uint8 kind, uint32 min_length, uint32 max_length, const void* payload, size_t size) {
  return dedupe::pg::pg_call([&] {
    const size_t total = offsetof(GistKey, payload) + size;
    auto* k = static_cast<GistKey*>(palloc0(total));
    SET_VARSIZE(k, total);
    k->kind = kind;
    k->min_length = min_length;
    k->max_length = max_length;
    memcpy(k->payload, payload, size);
    return PointerGetDatum(k);
  });
}

Datum region_key(const Region& r) {
  return make_key(kRegion, r.min_length, r.max_length, r.signature.words, sizeof r.signature.words);
}

// The parsed query of a scan, kept in fn_extra across calls and freed with fn_mcxt.
struct QueryCache {
  std::string raw;  // the query datum's bytes, to notice a new query
  StrategyNumber strategy = InvalidStrategy;
  std::u32string folded;
  dedupe::fuzzy::GramProfile profile;
  std::unique_ptr<dedupe::MyersPattern> pattern;  // the folded query, for exact leaves
  int32 max_distance = 0;
  double threshold = 0;
};

void delete_cache(void* arg) { delete static_cast<QueryCache*>(arg); }

const QueryCache& query_of(FunctionCallInfo fcinfo, Datum datum, StrategyNumber strategy) {
  const varlena* v = reinterpret_cast<const varlena*>(DatumGetPointer(datum));
  if (VARATT_IS_EXTENDED(v)) v = dedupe::pg::pg_call([&] { return PG_DETOAST_DATUM(datum); });
  const std::string_view raw(reinterpret_cast<const char*>(v), VARSIZE(v));
  auto* cache = static_cast<QueryCache*>(fcinfo->flinfo->fn_extra);
  if (cache != nullptr && cache->strategy == strategy && cache->raw == raw) return *cache;
  if (cache == nullptr) {
    auto owned = std::make_unique<QueryCache>();
    dedupe::pg::pg_call([&] {
      auto* cb = static_cast<MemoryContextCallback*>(
          MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(MemoryContextCallback)));
      cb->func = delete_cache;
      cb->arg = owned.get();
      MemoryContextRegisterResetCallback(fcinfo->flinfo->fn_mcxt, cb);
    });
    cache = owned.release();
    fcinfo->flinfo->fn_extra = cache;
  }
  cache->strategy = InvalidStrategy;  // valid again only once fully rebuilt
  if (strategy == dedupe::pg::kWithinStrategy) {
    const auto* q = reinterpret_cast<const dedupe::pg::EditQuery*>(v);
    cache->folded = dedupe::code_points(dedupe::pg::query_text(q));
    cache->max_distance = q->max_distance;
  } else if (strategy == dedupe::pg::kSimilarStrategy) {
    const auto* q = reinterpret_cast<const dedupe::pg::SimilarityQuery*>(v);
    cache->folded = dedupe::code_points(dedupe::pg::query_text(q));
    cache->threshold = q->threshold;
  } else if (strategy == dedupe::pg::kDistanceStrategy) {
    cache->folded = dedupe::fuzzy::match_form({VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v)});
  } else {
    throw dedupe::Error(dedupe::sqlstate::kInternalError,
                        "unknown strategy " + std::to_string(strategy) + " for fuzzy_gist_ops");
  }
  cache->profile = dedupe::fuzzy::gram_profile(cache->folded);
  cache->pattern = std::make_unique<dedupe::MyersPattern>(cache->folded);
  cache->raw.assign(raw);
  cache->strategy = strategy;
  return *cache;
}

}  // namespace

DEDUPE_FUNCTION(dedupe_fuzzy_gist_compress) {
  auto* entry = reinterpret_cast<GISTENTRY*>(PG_GETARG_POINTER(0));
  if (!entry->leafkey) return PointerGetDatum(entry);
  const text* value = dedupe::pg::pg_call([&] { return DatumGetTextPP(entry->key); });
  const std::string folded =
      dedupe::fuzzy::fold_for_match({VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value)});
  const std::u32string points = dedupe::code_points(folded);
  const uint32 length = static_cast<uint32>(std::min<size_t>(points.size(), UINT32_MAX));
  Datum key;
  if (folded.size() <= kMaxExactBytes) {
    key = make_key(kExact, length, length, folded.data(), folded.size());
  } else {
    Region r;
    r.signature = dedupe::fuzzy::signature_of(dedupe::fuzzy::gram_keys(points));
    r.min_length = r.max_length = length;
    key = region_key(r);
  }
  return dedupe::pg::pg_call([&] {
    auto* out = static_cast<GISTENTRY*>(palloc(sizeof(GISTENTRY)));
    gistentryinit(*out, key, entry->rel, entry->page, entry->offset, false);
    return PointerGetDatum(out);
  });
}

DEDUPE_FUNCTION(dedupe_fuzzy_gist_decompress) {
  auto* entry = reinterpret_cast<GISTENTRY*>(PG_GETARG_POINTER(0));
  const Pointer stored = DatumGetPointer(entry->key);
  const GistKey* key = key_of(entry->key);
  if (reinterpret_cast<Pointer>(const_cast<GistKey*>(key)) == stored) return PointerGetDatum(entry);
  return dedupe::pg::pg_call([&] {
    auto* out = static_cast<GISTENTRY*>(palloc(sizeof(GISTENTRY)));
    gistentryinit(*out, PointerGetDatum(key), entry->rel, entry->page, entry->offset, false);
    return PointerGetDatum(out);
  });
}

DEDUPE_FUNCTION(dedupe_fuzzy_gist_consistent) {
  auto* entry = reinterpret_cast<GISTENTRY*>(PG_GETARG_POINTER(0));
  const StrategyNumber strategy = PG_GETARG_UINT16(2);
  auto* recheck = reinterpret_cast<bool*>(PG_GETARG_POINTER(4));
  const QueryCache& q = query_of(fcinfo, PG_GETARG_DATUM(1), strategy);
  const GistKey* key = key_of(entry->key);
  if (key->kind == kExact) {
    *recheck = false;
    if (strategy == dedupe::pg::kWithinStrategy)
      return BoolGetDatum(q.pattern->distance_utf8(exact_text(key)) <= q.max_distance);
    return BoolGetDatum(dedupe::qgram_similarity(dedupe::code_points(exact_text(key)), q.folded,
                                                 dedupe::fuzzy::kQ) >= q.threshold);
  }
  *recheck = true;  // a region, or a leaf too long to keep whole
  const Region r = region_of(key);
  if (strategy == dedupe::pg::kWithinStrategy)
    return BoolGetDatum(dedupe::fuzzy::edit_distance_lower_bound(q.profile, r) <= q.max_distance);
  return BoolGetDatum(dedupe::fuzzy::similarity_upper_bound(q.profile, r) >= q.threshold);
}

DEDUPE_FUNCTION(dedupe_fuzzy_gist_distance) {
  auto* entry = reinterpret_cast<GISTENTRY*>(PG_GETARG_POINTER(0));
  const StrategyNumber strategy = PG_GETARG_UINT16(2);
  auto* recheck = reinterpret_cast<bool*>(PG_GETARG_POINTER(4));
  const QueryCache& q = query_of(fcinfo, PG_GETARG_DATUM(1), strategy);
  const GistKey* key = key_of(entry->key);
  if (key->kind == kExact) {
    *recheck = false;
    return Float8GetDatum(q.pattern->distance_utf8(exact_text(key)));
  }
  if (GIST_LEAF(entry)) *recheck = true;  // a lower bound; the executor computes the distance
  return Float8GetDatum(dedupe::fuzzy::edit_distance_lower_bound(q.profile, region_of(key)));
}

DEDUPE_FUNCTION(dedupe_fuzzy_gist_union) {
  auto* entries = reinterpret_cast<GistEntryVector*>(PG_GETARG_POINTER(0));
  auto* size = reinterpret_cast<int*>(PG_GETARG_POINTER(1));
  Region all = region_of(key_of(entries->vector[0].key));
  for (int i = 1; i < entries->n; ++i) {
    const Region r = region_of(key_of(entries->vector[i].key));
    all.signature.merge(r.signature);
    all.min_length = std::min(all.min_length, r.min_length);
    all.max_length = std::max(all.max_length, r.max_length);
  }
  const Datum key = region_key(all);
  *size = VARSIZE(DatumGetPointer(key));
  return key;
}

DEDUPE_FUNCTION(dedupe_fuzzy_gist_penalty) {
  auto* original = reinterpret_cast<GISTENTRY*>(PG_GETARG_POINTER(0));
  auto* added = reinterpret_cast<GISTENTRY*>(PG_GETARG_POINTER(1));
  auto* penalty = reinterpret_cast<float*>(PG_GETARG_POINTER(2));
  *penalty = static_cast<float>(dedupe::fuzzy::region_growth(region_of(key_of(original->key)),
                                                             region_of(key_of(added->key))));
  return PointerGetDatum(penalty);
}

DEDUPE_FUNCTION(dedupe_fuzzy_gist_picksplit) {
  auto* entries = reinterpret_cast<GistEntryVector*>(PG_GETARG_POINTER(0));
  auto* split = reinterpret_cast<GIST_SPLITVEC*>(PG_GETARG_POINTER(1));
  const OffsetNumber last = static_cast<OffsetNumber>(entries->n - 1);
  std::vector<Region> regions;
  for (OffsetNumber i = FirstOffsetNumber; i <= last; ++i)
    regions.push_back(region_of(key_of(entries->vector[i].key)));
  const std::vector<bool> left = dedupe::fuzzy::split_regions(regions);
  Region l, r;
  bool have_l = false, have_r = false;
  dedupe::pg::pg_call([&] {
    split->spl_left = static_cast<OffsetNumber*>(palloc(sizeof(OffsetNumber) * regions.size()));
    split->spl_right = static_cast<OffsetNumber*>(palloc(sizeof(OffsetNumber) * regions.size()));
  });
  split->spl_nleft = split->spl_nright = 0;
  auto absorb = [](Region& into, bool& have, const Region& x) {
    if (!have) {
      into = x;
      have = true;
      return;
    }
    into.signature.merge(x.signature);
    into.min_length = std::min(into.min_length, x.min_length);
    into.max_length = std::max(into.max_length, x.max_length);
  };
  for (size_t i = 0; i < regions.size(); ++i) {
    const OffsetNumber offset = static_cast<OffsetNumber>(FirstOffsetNumber + i);
    if (left[i]) {
      split->spl_left[split->spl_nleft++] = offset;
      absorb(l, have_l, regions[i]);
    } else {
      split->spl_right[split->spl_nright++] = offset;
      absorb(r, have_r, regions[i]);
    }
  }
  split->spl_ldatum = region_key(l);
  split->spl_rdatum = region_key(r);
  return PointerGetDatum(split);
}

DEDUPE_FUNCTION(dedupe_fuzzy_gist_same) {
  const GistKey* a = key_of(PG_GETARG_DATUM(0));
  const GistKey* b = key_of(PG_GETARG_DATUM(1));
  auto* result = reinterpret_cast<bool*>(PG_GETARG_POINTER(2));
  *result = VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
  return PointerGetDatum(result);
}

DEDUPE_FUNCTION(dedupe_fuzzy_signature_in) {
  throw dedupe::Error(dedupe::sqlstate::kInvalidParameterValue,
                      "dedupe.fuzzy_signature is an index storage type with no input form");
}

DEDUPE_FUNCTION(dedupe_fuzzy_signature_out) {
  const GistKey* k = key_of(PG_GETARG_DATUM(0));
  std::string out;
  if (k->kind == kExact) {
    out = "exact:" + std::string(exact_text(k));
  } else {
    Region r = region_of(k);
    out = "region:lengths " + std::to_string(k->min_length) + ".." + std::to_string(k->max_length) +
          ", " + std::to_string(r.signature.popcount()) + " bits";
  }
  return dedupe::pg::pg_call([&] { return CStringGetDatum(pstrdup(out.c_str())); });
}
