// SPI from C++: a connection scoped to an object, and statements prepared once per backend.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pg/guard.hpp"

extern "C" {
#include "executor/spi.h"
}

namespace dedupe::pg {

class SpiSession {
 public:
  SpiSession();
  ~SpiSession();
  SpiSession(const SpiSession&) = delete;
  SpiSession& operator=(const SpiSession&) = delete;
};

// A parameterized statement, planned at first use and kept for the life of the backend.
// Every parameter is text (NULL when absent); casts live in the SQL.
class CachedStatement {
 public:
  CachedStatement(const char* sql, int nargs) : sql_(sql), nargs_(nargs) {}
  // Runs the statement; returns SPI_processed. Results stay in SPI_tuptable until the next call.
  uint64 run(const std::vector<std::optional<std::string>>& args);
  // Runs a statement whose every parameter is a text[] column of equal length (many rows
  // in one execution, read with unnest()).
  uint64 run_columns(const std::vector<std::vector<std::optional<std::string>>>& columns);
  // The first column of the first returned row as text, if any.
  static std::optional<std::string> first_value();

 private:
  const char* sql_;
  int nargs_;
  SPIPlanPtr plan_ = nullptr;

  void prepare(Oid param_type);
  uint64 execute(std::vector<Datum>& values, std::vector<char>& nulls);
};

// An int8[] parameter's text form, '{1,2,3}'.
std::string int8_array_text(const std::vector<int64_t>& ids);

// Typed reads of the last result (SPI_tuptable) with SPI_getbinval: the Datum as the query
// typed it, no output function and no text to parse back. Rows and columns are checked; a
// column of another type than the read asks for is an internal error (XX000), not a guess.
// Columns are 1-based, as SPI numbers them.
class SpiRows {
 public:
  static std::optional<int64_t> int8(uint64 row, int column);
  static std::optional<bool> boolean(uint64 row, int column);
  // text (or varchar): the bytes, copied out of the tuple.
  static std::optional<std::string> text(uint64 row, int column);
};

}  // namespace dedupe::pg
