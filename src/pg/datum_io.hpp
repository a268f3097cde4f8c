// Conversions between PostgreSQL datums and standard C++ values, each one behind
// pg_call() so that an error while detoasting or allocating unwinds C++ cleanly.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pg/guard.hpp"

namespace dedupe::pg {

// The bytes of a text argument (detoasted, valid for the rest of the call).
std::string_view text_arg(FunctionCallInfo fcinfo, int n);

// A palloc'd text datum holding s.
Datum text_datum(std::string_view s);

// The bytes of a bytea argument (detoasted, valid for the rest of the call).
std::string_view bytea_arg(FunctionCallInfo fcinfo, int n);

// A palloc'd bytea datum holding the bytes.
Datum bytea_datum(std::string_view bytes);

// A palloc'd one-dimensional text[] datum.
Datum text_array_datum(const std::vector<std::string>& items);

}  // namespace dedupe::pg
