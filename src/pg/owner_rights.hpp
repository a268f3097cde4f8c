// Runs a scope with the rights of the extension's owner, the way PostgreSQL's own RI
// triggers run as the table owner: writers of a watched table need no grants on dedupe.*,
// and what they can do there is exactly what the trigger does.
#pragma once

#include <string>

#include "pg/guard.hpp"

namespace dedupe::pg {

// The name of the current role: the actor audit rows name.
std::string current_role_name();

class OwnerRights {
 public:
  OwnerRights();
  ~OwnerRights();
  OwnerRights(const OwnerRights&) = delete;
  OwnerRights& operator=(const OwnerRights&) = delete;

  // The role that was current before the switch: the actor every audit row names.
  const std::string& actor() const { return actor_; }

 private:
  Oid saved_user_;
  int saved_security_context_;
  std::string actor_;
};

}  // namespace dedupe::pg
