// A JSON string literal appended to a buffer: the core builds its explanations (jsonb for
// dedupe.explain and audit rows) as text, without PostgreSQL's escape_json.
#pragma once

#include <string>
#include <string_view>

namespace dedupe {

// Appends s as a quoted JSON string: '"' and '\' escaped, control characters as \uXXXX
// (short forms for \n, \r, \t); UTF-8 passes through unchanged.
void append_json_string(std::string& out, std::string_view s);

}  // namespace dedupe
