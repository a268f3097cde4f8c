// The one exception type the core throws. It carries a PostgreSQL SQLSTATE as five
// characters so src/pg can raise the right error code without the core knowing PostgreSQL.
#pragma once

#include <stdexcept>
#include <string>

namespace dedupe {

class Error : public std::runtime_error {
 public:
  Error(const char* sqlstate, std::string message, std::string detail = {}, std::string hint = {})
      : std::runtime_error(std::move(message)), detail_(std::move(detail)), hint_(std::move(hint)) {
    for (int i = 0; i < 5; ++i) sqlstate_[i] = sqlstate[i];
    sqlstate_[5] = '\0';
  }

  const char* sqlstate() const noexcept { return sqlstate_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  char sqlstate_[6];
  std::string detail_;
  std::string hint_;
};

// SQLSTATEs the core raises; documented in README ("Errors").
namespace sqlstate {
inline constexpr const char* kInvalidTextRepresentation = "22P02";
inline constexpr const char* kInvalidParameterValue = "22023";
inline constexpr const char* kDatetimeFieldOverflow = "22008";
inline constexpr const char* kCharacterNotInRepertoire = "22021";
inline constexpr const char* kStringDataRightTruncation = "22001";
inline constexpr const char* kNotNullViolation = "23502";
inline constexpr const char* kProgramLimitExceeded = "54000";
inline constexpr const char* kInternalError = "XX000";
}  // namespace sqlstate

}  // namespace dedupe
