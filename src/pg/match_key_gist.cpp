// GiST support for dedupe.match_key, so that EXCLUDE USING gist (k WITH &&) can enforce
// "no two rows share an identity component" with PostgreSQL's own concurrency handling.
// Index entries (storage bytea) come in two forms:
//   leaf:      'L' + the 64-bit hashes of the key's tagged components (lossy: recheck)
//   internal:  'S' + a 1024-bit Bloom signature, two bits per component hash
// Strategies: 1 && (overlap), 3 = (equal).
#include <bitset>
#include <vector>

#include "pg/match_key_datum.hpp"

extern "C" {
#include "access/gist.h"
#include "access/stratnum.h"
#include "common/hashfn.h"
}

namespace {

constexpr StrategyNumber kOverlap = 1, kEqual = 3;
constexpr int kSignatureBits = 1024;
constexpr char kLeaf = 'L', kSignature = 'S';
using Signature = std::bitset<kSignatureBits>;

std::vector<uint64> component_hashes(const dedupe::MatchKeyView& key) {
  std::vector<uint64> hashes;
  for (int i = 0; i < dedupe::kComponents; ++i) {
    if (!key.parts[i]) continue;
    hashes.push_back(DatumGetUInt64(
        hash_any_extended(reinterpret_cast<const unsigned char*>(key.parts[i]->data()),
                          static_cast<int>(key.parts[i]->size()), /*seed=*/i + 1)));
  }
  return hashes;
}

void add_hash(Signature& sig, uint64 h) {
  sig.set(h % kSignatureBits);
  sig.set((h >> 32) % kSignatureBits);
}

bool may_hold(const Signature& sig, uint64 h) {
  return sig.test(h % kSignatureBits) && sig.test((h >> 32) % kSignatureBits);
}

// A decoded index entry.
struct Entry {
  bool leaf = false;
  std::vector<uint64> hashes;  // leaf
  Signature sig;               // internal; for a leaf, its hashes' bits

  static Entry read(Datum d) {
    bytea* b = reinterpret_cast<bytea*>(dedupe::pg::pg_call([&] { return PG_DETOAST_DATUM(d); }));
    const char* p = VARDATA(b);
    const size_t len = VARSIZE(b) - VARHDRSZ;
    Entry e;
    e.leaf = len > 0 && p[0] == kLeaf;
    if (e.leaf) {
      e.hashes.resize((len - 1) / sizeof(uint64));
      memcpy(e.hashes.data(), p + 1, e.hashes.size() * sizeof(uint64));
      for (uint64 h : e.hashes) add_hash(e.sig, h);
    } else {
      for (int i = 0; i < kSignatureBits; ++i)
        if (static_cast<unsigned char>(p[1 + i / 8]) & (1u << (i % 8))) e.sig.set(i);
    }
    return e;
  }
};

Datum leaf_datum(const std::vector<uint64>& hashes) {
  return dedupe::pg::pg_call([&] {
    const size_t len = 1 + hashes.size() * sizeof(uint64);
    bytea* b = static_cast<bytea*>(palloc(VARHDRSZ + len));
    SET_VARSIZE(b, VARHDRSZ + len);
    VARDATA(b)[0] = kLeaf;
    memcpy(VARDATA(b) + 1, hashes.data(), hashes.size() * sizeof(uint64));
    return PointerGetDatum(b);
  });
}

Datum signature_datum(const Signature& sig) {
  unsigned char bytes[kSignatureBits / 8] = {};
  for (int i = 0; i < kSignatureBits; ++i)
    if (sig.test(i)) bytes[i / 8] |= static_cast<unsigned char>(1u << (i % 8));
  return dedupe::pg::pg_call([&] {
    const size_t len = 1 + sizeof(bytes);
    bytea* b = static_cast<bytea*>(palloc(VARHDRSZ + len));
    SET_VARSIZE(b, VARHDRSZ + len);
    VARDATA(b)[0] = kSignature;
    memcpy(VARDATA(b) + 1, bytes, sizeof(bytes));
    return PointerGetDatum(b);
  });
}

}  // namespace

DEDUPE_FUNCTION(dedupe_match_key_gist_compress) {
  GISTENTRY* entry = reinterpret_cast<GISTENTRY*>(PG_GETARG_POINTER(0));
  if (!entry->leafkey) return PointerGetDatum(entry);
  const std::string_view bytes = [&] {
    struct varlena* v = dedupe::pg::pg_call([&] { return PG_DETOAST_DATUM_PACKED(entry->key); });
    return std::string_view(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
  }();
  const Datum leaf = leaf_datum(component_hashes(dedupe::decode_view(bytes)));
  return dedupe::pg::pg_call([&] {
    GISTENTRY* out = static_cast<GISTENTRY*>(palloc(sizeof(GISTENTRY)));
    gistentryinit(*out, leaf, entry->rel, entry->page, entry->offset, false);
    return PointerGetDatum(out);
  });
}

DEDUPE_FUNCTION(dedupe_match_key_gist_consistent) {
  GISTENTRY* entry = reinterpret_cast<GISTENTRY*>(PG_GETARG_POINTER(0));
  const StrategyNumber strategy = PG_GETARG_UINT16(2);
  bool* recheck = reinterpret_cast<bool*>(PG_GETARG_POINTER(4));
  *recheck = true;  // hashes and signatures are lossy
  const std::vector<uint64> query = component_hashes(dedupe::pg::match_key_arg(fcinfo, 1));
  const Entry e = Entry::read(entry->key);
  if (e.leaf) {
    auto held = [&](uint64 h) {
      for (uint64 k : e.hashes)
        if (k == h) return true;
      return false;
    };
    if (strategy == kOverlap) {
      for (uint64 h : query)
        if (held(h)) return BoolGetDatum(true);
      return BoolGetDatum(false);
    }
    if (e.hashes.size() != query.size()) return BoolGetDatum(false);
    for (uint64 h : query)
      if (!held(h)) return BoolGetDatum(false);
    return BoolGetDatum(true);
  }
  if (strategy == kOverlap) {
    for (uint64 h : query)
      if (may_hold(e.sig, h)) return BoolGetDatum(true);
    return BoolGetDatum(false);
  }
  for (uint64 h : query)
    if (!may_hold(e.sig, h)) return BoolGetDatum(false);
  return BoolGetDatum(true);
}

DEDUPE_FUNCTION(dedupe_match_key_gist_union) {
  GistEntryVector* entries = reinterpret_cast<GistEntryVector*>(PG_GETARG_POINTER(0));
  int* size = reinterpret_cast<int*>(PG_GETARG_POINTER(1));
  Signature sig;
  for (int i = 0; i < entries->n; ++i) sig |= Entry::read(entries->vector[i].key).sig;
  *size = VARHDRSZ + 1 + kSignatureBits / 8;
  return signature_datum(sig);
}

// How many bits the new entry would add to the subtree's signature.
DEDUPE_FUNCTION(dedupe_match_key_gist_penalty) {
  GISTENTRY* orig = reinterpret_cast<GISTENTRY*>(PG_GETARG_POINTER(0));
  GISTENTRY* added = reinterpret_cast<GISTENTRY*>(PG_GETARG_POINTER(1));
  float* penalty = reinterpret_cast<float*>(PG_GETARG_POINTER(2));
  const Signature a = Entry::read(orig->key).sig, b = Entry::read(added->key).sig;
  *penalty = static_cast<float>((b & ~a).count());
  return PointerGetDatum(penalty);
}

// Guttman's split with the two most different signatures as seeds; every other entry goes
// where it adds fewer bits, the smaller side on ties.
DEDUPE_FUNCTION(dedupe_match_key_gist_picksplit) {
  GistEntryVector* entries = reinterpret_cast<GistEntryVector*>(PG_GETARG_POINTER(0));
  GIST_SPLITVEC* split = reinterpret_cast<GIST_SPLITVEC*>(PG_GETARG_POINTER(1));
  const int n = entries->n - 1;  // entries are numbered from FirstOffsetNumber = 1
  std::vector<Signature> sigs(n + 1);
  for (int i = FirstOffsetNumber; i <= n; ++i) sigs[i] = Entry::read(entries->vector[i].key).sig;
  int seed_l = FirstOffsetNumber, seed_r = FirstOffsetNumber + 1;
  size_t widest = 0;
  for (int i = FirstOffsetNumber; i <= n; ++i)
    for (int j = i + 1; j <= n; ++j)
      if (const size_t d = (sigs[i] ^ sigs[j]).count(); d > widest) {
        widest = d;
        seed_l = i;
        seed_r = j;
      }
  Signature left = sigs[seed_l], right = sigs[seed_r];
  std::vector<OffsetNumber> to_left, to_right;
  for (int i = FirstOffsetNumber; i <= n; ++i) {
    bool go_left;
    if (i == seed_l) {
      go_left = true;
    } else if (i == seed_r) {
      go_left = false;
    } else {
      const size_t cost_l = (sigs[i] & ~left).count(), cost_r = (sigs[i] & ~right).count();
      go_left = cost_l < cost_r || (cost_l == cost_r && to_left.size() <= to_right.size());
    }
    if (go_left) {
      to_left.push_back(static_cast<OffsetNumber>(i));
      left |= sigs[i];
    } else {
      to_right.push_back(static_cast<OffsetNumber>(i));
      right |= sigs[i];
    }
  }
  const Datum left_datum = signature_datum(left), right_datum = signature_datum(right);
  dedupe::pg::pg_call([&] {
    split->spl_left =
        static_cast<OffsetNumber*>(palloc(sizeof(OffsetNumber) * (to_left.size() + 1)));
    split->spl_right =
        static_cast<OffsetNumber*>(palloc(sizeof(OffsetNumber) * (to_right.size() + 1)));
  });
  split->spl_nleft = static_cast<int>(to_left.size());
  split->spl_nright = static_cast<int>(to_right.size());
  std::copy(to_left.begin(), to_left.end(), split->spl_left);
  std::copy(to_right.begin(), to_right.end(), split->spl_right);
  split->spl_ldatum = left_datum;
  split->spl_rdatum = right_datum;
  return PointerGetDatum(split);
}

DEDUPE_FUNCTION(dedupe_match_key_gist_same) {
  bytea* a = reinterpret_cast<bytea*>(PG_GETARG_POINTER(0));
  bytea* b = reinterpret_cast<bytea*>(PG_GETARG_POINTER(1));
  bool* result = reinterpret_cast<bool*>(PG_GETARG_POINTER(2));
  *result = VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
            memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
  return PointerGetDatum(result);
}
