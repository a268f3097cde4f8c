// dedupe.match_key: type I/O, the constructor from raw values, accessors.
#include <string>

#include "core/normalize/email.hpp"
#include "core/normalize/phone.hpp"
#include "pg/datum_io.hpp"
#include "pg/match_key_datum.hpp"

extern "C" {
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
}

namespace dedupe::pg {

std::string_view match_key_bytes(FunctionCallInfo fcinfo, int n) {
  struct varlena* v = pg_call([&] { return PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(n)); });
  return {VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v)};
}

Datum match_key_datum(const MatchKey& key) {
  const std::string bytes = encode(key);
  return pg_call([&] {
    struct varlena* v = static_cast<struct varlena*>(palloc(VARHDRSZ + bytes.size()));
    SET_VARSIZE(v, VARHDRSZ + bytes.size());
    memcpy(VARDATA(v), bytes.data(), bytes.size());
    return PointerGetDatum(v);
  });
}

namespace {

std::optional<std::string> optional_text(FunctionCallInfo fcinfo, int n) {
  if (PG_ARGISNULL(n)) return std::nullopt;
  return std::string(text_arg(fcinfo, n));
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// match_key(external_id, phone, email, region): raw values through the normalizers.
MatchKey build(FunctionCallInfo fcinfo) {
  MatchKey key;
  if (auto id = optional_text(fcinfo, 0); id && !blank(*id)) key.external_id = *id;
  if (auto phone = optional_text(fcinfo, 1); phone && !blank(*phone)) {
    if (PG_ARGISNULL(3))
      throw Error(sqlstate::kInvalidParameterValue, "match_key: region must not be NULL");
    key.phone = normalize_phone(*phone, text_arg(fcinfo, 3));
  }
  if (auto email = optional_text(fcinfo, 2); email && !blank(*email))
    key.email = normalize_email(*email);
  validate(key);
  return key;
}

Datum component_datum(FunctionCallInfo fcinfo, int index) {
  const MatchKeyView key = match_key_arg(fcinfo, 0);
  if (!key.parts[index]) {
    fcinfo->isnull = true;
    return Datum(0);
  }
  return text_datum(*key.parts[index]);
}

// Text input arrives verified by PostgreSQL; binary input does not, and invalid UTF-8 in a
// key would reach k::text, columns filled from it and pg_dump output.
void check_encoding(const MatchKey& key) {
  static const char* const names[] = {"external_id", "phone", "email"};
  for (int i = 0; i < kComponents; ++i) {
    const auto& v = component(key, static_cast<Component>(i));
    if (v && !pg_call([&] {
          return pg_verify_mbstr(GetDatabaseEncoding(), v->data(), static_cast<int>(v->size()),
                                 true);
        }))
      throw Error(sqlstate::kCharacterNotInRepertoire,
                  std::string("invalid match_key: ") + names[i] + " is not valid " +
                      GetDatabaseEncodingName(),
                  {}, "Send the key's components in the database encoding.");
  }
}

}  // namespace
}  // namespace dedupe::pg

using dedupe::pg::match_key_datum;

DEDUPE_FUNCTION(dedupe_match_key_in) {
  const char* text = PG_GETARG_CSTRING(0);
  return match_key_datum(dedupe::parse(text));
}

DEDUPE_FUNCTION(dedupe_match_key_out) {
  const std::string text = dedupe::format(dedupe::decode(dedupe::pg::match_key_bytes(fcinfo, 0)));
  return dedupe::pg::pg_call([&] { return CStringGetDatum(pstrdup(text.c_str())); });
}

// Binary form on the wire: the stored bytes, validated again on receipt.
DEDUPE_FUNCTION(dedupe_match_key_recv) {
  StringInfo buf = reinterpret_cast<StringInfo>(PG_GETARG_POINTER(0));
  const std::string bytes(buf->data + buf->cursor, buf->len - buf->cursor);
  buf->cursor = buf->len;
  dedupe::MatchKey key = dedupe::decode(bytes);
  dedupe::validate(key);
  dedupe::pg::check_encoding(key);
  return match_key_datum(key);
}

DEDUPE_FUNCTION(dedupe_match_key_send) {
  const std::string_view bytes = dedupe::pg::match_key_bytes(fcinfo, 0);
  return dedupe::pg::pg_call([&] {
    StringInfoData buf;
    pq_begintypsend(&buf);
    pq_sendbytes(&buf, bytes.data(), static_cast<int>(bytes.size()));
    return PointerGetDatum(pq_endtypsend(&buf));
  });
}

DEDUPE_FUNCTION(dedupe_match_key_make) { return match_key_datum(dedupe::pg::build(fcinfo)); }

DEDUPE_FUNCTION(dedupe_try_match_key) {
  dedupe::MatchKey key;
  try {
    key = dedupe::pg::build(fcinfo);
  } catch (const dedupe::Error&) {
    fcinfo->isnull = true;
    return Datum(0);
  }
  return match_key_datum(key);
}

DEDUPE_FUNCTION(dedupe_match_key_external_id) { return dedupe::pg::component_datum(fcinfo, 0); }
DEDUPE_FUNCTION(dedupe_match_key_phone) { return dedupe::pg::component_datum(fcinfo, 1); }
DEDUPE_FUNCTION(dedupe_match_key_email) { return dedupe::pg::component_datum(fcinfo, 2); }
