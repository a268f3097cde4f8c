// dedupe.match_key in pure C++: the composite identity of a contact. Three optional
// components (a source-namespaced external id, an E.164 phone, a normalized email), at
// least one present. Text form, compact binary form, total order, overlap.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dedupe {

struct MatchKey {
  std::optional<std::string> external_id;  // 'hubspot:123'
  std::optional<std::string> phone;        // '+14155550132'
  std::optional<std::string> email;        // 'janedoe@gmail.com'

  int component_count() const { return !!external_id + !!phone + !!email; }
};

// Components in a fixed order, for code that treats them alike.
enum class Component : uint8_t { kExternalId = 0, kPhone = 1, kEmail = 2 };
inline constexpr int kComponents = 3;
const std::optional<std::string>& component(const MatchKey& key, Component c);

// Checks each component's form (not whether it came from a normalizer): external id
// 'namespace:id', phone '+' and 2..15 digits, email 'local@domain' without upper-case ASCII.
// Throws Error 23502 when no component is present, 22P02 for a malformed component.
void validate(const MatchKey& key);

// Canonical text: (external_id,phone,email), an absent component empty, a component quoted
// with "..." (\" and \\ escaped) when it is empty or holds a space, '(', ')', ',', '"' or '\'.
// parse(format(k)) == k for every valid k; parse() validates and throws 22P02 on bad text.
std::string format(const MatchKey& key);
MatchKey parse(std::string_view text);

// Compact binary form stored in the varlena: a presence bitmap byte, then each present
// component as a LEB128 length and its bytes. Equal keys have equal encodings.
std::string encode(const MatchKey& key);
MatchKey decode(std::string_view bytes);  // throws 22P02 (corrupt input, e.g. from recv)

// A key read in place from its binary form, for operators that run per index tuple.
struct MatchKeyView {
  std::optional<std::string_view> parts[kComponents];  // in Component order
};
MatchKeyView view(const MatchKey& key);
MatchKeyView decode_view(std::string_view bytes);  // throws 22P02 like decode

// Total order: external id, then phone, then email; an absent component sorts first.
int compare(const MatchKeyView& a, const MatchKeyView& b);
// a && b: some component is present in both and equal.
bool overlaps(const MatchKeyView& a, const MatchKeyView& b);
// a @> b: every component present in b is present in a and equal.
bool contains(const MatchKeyView& a, const MatchKeyView& b);

inline int compare(const MatchKey& a, const MatchKey& b) { return compare(view(a), view(b)); }
inline bool overlaps(const MatchKey& a, const MatchKey& b) { return overlaps(view(a), view(b)); }
inline bool contains(const MatchKey& a, const MatchKey& b) { return contains(view(a), view(b)); }

}  // namespace dedupe
