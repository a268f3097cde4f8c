// SPI from C++: a connection scoped to an object, and statements prepared once per backend.
#pragma once

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

}  // namespace dedupe::pg
