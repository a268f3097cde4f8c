#include "core/key/match_key.hpp"

#include "core/error.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {
namespace {

constexpr size_t kMaxComponent = 1024;  // a longer identity component is a bug upstream

[[noreturn]] void malformed(const std::string& why) {
  throw Error(sqlstate::kInvalidTextRepresentation, "invalid match_key: " + why);
}

const char* component_name(Component c) {
  switch (c) {
    case Component::kExternalId:
      return "external_id";
    case Component::kPhone:
      return "phone";
    default:
      return "email";
  }
}

void validate_external_id(const std::string& v) {
  const size_t colon = v.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == v.size())
    malformed("external_id must be namespaced by its source, as 'source:id'");
}

void validate_phone(const std::string& v) {
  bool ok = v.size() >= 3 && v.size() <= 16 && v[0] == '+' && v[1] >= '1' && v[1] <= '9';
  for (size_t i = 1; ok && i < v.size(); ++i) ok = v[i] >= '0' && v[i] <= '9';
  if (!ok) malformed("phone must be E.164 ('+' and up to 15 digits), not \"" + v + "\"");
}

void validate_email(const std::string& v) {
  const size_t at = v.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == v.size() ||
      v.find('@', at + 1) != std::string::npos)
    malformed("email must be one 'local@domain' address");
  for (char c : v)
    if (c >= 'A' && c <= 'Z') malformed("email must be normalized (lower case)");
}

bool needs_quotes(const std::string& v) {
  if (v.empty()) return true;
  for (char c : v)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == ',' ||
        c == '"' || c == '\\')
      return true;
  return false;
}

void append_component(std::string& out, const std::optional<std::string>& v) {
  if (!v) return;
  if (!needs_quotes(*v)) {
    out += *v;
    return;
  }
  out += '"';
  for (char c : *v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

// Reads one field starting at pos, up to the next unquoted ',' or ')'.
std::optional<std::string> read_field(std::string_view text, size_t& pos) {
  if (pos >= text.size()) malformed("unexpected end of input");
  if (text[pos] == ',' || text[pos] == ')') return std::nullopt;
  std::string value;
  if (text[pos] == '"') {
    ++pos;
    for (;;) {
      if (pos >= text.size()) malformed("unterminated quoted component");
      const char c = text[pos++];
      if (c == '"') break;
      if (c == '\\') {
        if (pos >= text.size()) malformed("unterminated quoted component");
        value += text[pos++];
      } else {
        value += c;
      }
    }
    return value;
  }
  while (pos < text.size() && text[pos] != ',' && text[pos] != ')') {
    const char c = text[pos++];
    if (c == '"' || c == '\\' || c == '(' || c == ' ')
      malformed(std::string("unexpected '") + c + "' in an unquoted component");
    value += c;
  }
  return value;
}

void put_length(std::string& out, size_t n) {
  do {
    uint8_t byte = n & 0x7f;
    n >>= 7;
    if (n) byte |= 0x80;
    out += static_cast<char>(byte);
  } while (n);
}

size_t get_length(std::string_view bytes, size_t& pos) {
  size_t n = 0;
  for (int shift = 0; shift < 28; shift += 7) {
    if (pos >= bytes.size()) malformed("truncated binary value");
    const uint8_t byte = static_cast<uint8_t>(bytes[pos++]);
    n |= static_cast<size_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return n;
  }
  malformed("bad length in binary value");
}

}  // namespace

const std::optional<std::string>& component(const MatchKey& key, Component c) {
  switch (c) {
    case Component::kExternalId:
      return key.external_id;
    case Component::kPhone:
      return key.phone;
    default:
      return key.email;
  }
}

void validate(const MatchKey& key) {
  if (key.component_count() == 0)
    throw Error(sqlstate::kNotNullViolation,
                "a match_key needs at least one of external_id, phone and email", {},
                "Use dedupe.try_match_key() to get NULL instead of an error.");
  for (int i = 0; i < kComponents; ++i) {
    const auto& v = component(key, static_cast<Component>(i));
    if (!v) continue;
    if (v->empty() || v->size() > kMaxComponent)
      malformed(std::string(component_name(static_cast<Component>(i))) +
                " must have 1 to 1024 bytes");
    if (v->find('\0') != std::string::npos) malformed("a component holds a NUL byte");
  }
  if (key.external_id) validate_external_id(*key.external_id);
  if (key.phone) validate_phone(*key.phone);
  if (key.email) validate_email(*key.email);
}

std::string format(const MatchKey& key) {
  std::string out = "(";
  append_component(out, key.external_id);
  out += ',';
  append_component(out, key.phone);
  out += ',';
  append_component(out, key.email);
  out += ')';
  return out;
}

MatchKey parse(std::string_view text) {
  size_t pos = 0;
  if (text.empty() || text[0] != '(') malformed("expected \"(external_id,phone,email)\"");
  ++pos;
  MatchKey key;
  key.external_id = read_field(text, pos);
  if (pos >= text.size() || text[pos++] != ',') malformed("expected ',' after external_id");
  key.phone = read_field(text, pos);
  if (pos >= text.size() || text[pos++] != ',') malformed("expected ',' after phone");
  key.email = read_field(text, pos);
  if (pos >= text.size() || text[pos++] != ')') malformed("expected ')' after email");
  if (pos != text.size()) malformed("trailing characters after ')'");
  validate(key);
  return key;
}

std::string encode(const MatchKey& key) {
  std::string out;
  out += static_cast<char>((key.external_id ? 1 : 0) | (key.phone ? 2 : 0) | (key.email ? 4 : 0));
  for (int i = 0; i < kComponents; ++i) {
    const auto& v = component(key, static_cast<Component>(i));
    if (!v) continue;
    put_length(out, v->size());
    out += *v;
  }
  return out;
}

MatchKeyView decode_view(std::string_view bytes) {
  if (bytes.empty()) malformed("empty binary value");
  const uint8_t present = static_cast<uint8_t>(bytes[0]);
  if (present & ~7u) malformed("bad presence bitmap in binary value");
  size_t pos = 1;
  MatchKeyView v;
  for (int i = 0; i < kComponents; ++i) {
    if (!(present & (1u << i))) continue;
    const size_t n = get_length(bytes, pos);
    if (n > bytes.size() - pos) malformed("truncated binary value");
    v.parts[i] = bytes.substr(pos, n);
    pos += n;
  }
  if (pos != bytes.size()) malformed("trailing bytes in binary value");
  return v;
}

MatchKey decode(std::string_view bytes) {
  const MatchKeyView v = decode_view(bytes);
  MatchKey key;
  if (v.parts[0]) key.external_id = std::string(*v.parts[0]);
  if (v.parts[1]) key.phone = std::string(*v.parts[1]);
  if (v.parts[2]) key.email = std::string(*v.parts[2]);
  return key;
}

MatchKeyView view(const MatchKey& key) {
  MatchKeyView v;
  for (int i = 0; i < kComponents; ++i)
    if (const auto& c = component(key, static_cast<Component>(i))) v.parts[i] = *c;
  return v;
}

int compare(const MatchKeyView& a, const MatchKeyView& b) {
  for (int i = 0; i < kComponents; ++i) {
    if (!a.parts[i] || !b.parts[i]) {
      if (a.parts[i] || b.parts[i]) return a.parts[i] ? 1 : -1;
      continue;
    }
    const int r = a.parts[i]->compare(*b.parts[i]);
    if (r) return (r > 0) - (r < 0);
  }
  return 0;
}

bool overlaps(const MatchKeyView& a, const MatchKeyView& b) {
  for (int i = 0; i < kComponents; ++i)
    if (a.parts[i] && b.parts[i] && *a.parts[i] == *b.parts[i]) return true;
  return false;
}

bool contains(const MatchKeyView& a, const MatchKeyView& b) {
  for (int i = 0; i < kComponents; ++i)
    if (b.parts[i] && !(a.parts[i] && *a.parts[i] == *b.parts[i])) return false;
  return true;
}

}  // namespace dedupe
