// A flat JSON object as text, escaped by PostgreSQL's own escape_json(); used for the
// jsonb inputs of audit rows.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dedupe::pg {

using JsonFields = std::vector<std::pair<std::string, std::optional<std::string>>>;

// {"k": "v", "absent": null, ...}; nested objects are given as already-encoded JSON by
// json_object_raw.
std::string json_object(const JsonFields& fields);
std::string json_object_raw(const std::vector<std::pair<std::string, std::string>>& encoded);

}  // namespace dedupe::pg
