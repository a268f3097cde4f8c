#include "pg/json_text.hpp"

#include "pg/guard.hpp"

extern "C" {
#include "lib/stringinfo.h"
#include "utils/json.h"
}

namespace dedupe::pg {
namespace {

std::string escaped(const std::string& s) {
  char* out = pg_call([&] {
    StringInfoData buf;
    initStringInfo(&buf);
    escape_json(&buf, s.c_str());
    return buf.data;
  });
  std::string result(out);
  pg_call([&] { pfree(out); });
  return result;
}

}  // namespace

std::string json_object(const JsonFields& fields) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(fields.size());
  for (const auto& [key, value] : fields)
    encoded.emplace_back(key, value ? escaped(*value) : "null");
  return json_object_raw(encoded);
}

std::string json_object_raw(const std::vector<std::pair<std::string, std::string>>& encoded) {
  std::string out = "{";
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (i) out += ", ";
    out += escaped(encoded[i].first);
    out += ": ";
    out += encoded[i].second;
  }
  out += "}";
  return out;
}

}  // namespace dedupe::pg
