// The write path weighs one mailbox under two '+' tags at a company domain (issue 17) with
// the batch matcher's email level 'same_mailbox_tag_differs'.
#include <gtest/gtest.h>

#include "core/golden/decide.hpp"
#include "core/normalize/nicknames.hpp"

namespace dedupe::golden {
namespace {

Person person(const char* first, const char* last, const char* email) {
  Person p;
  p.first_name = first;
  p.last_name = last;
  p.email = email;
  return p;
}

class EmailTagLevel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    set_nickname_table_path(DEDUPE_SOURCE_DIR "/control/data/pg_dedupe_nicknames.csv");
  }
};

TEST_F(EmailTagLevel, TaggedMailboxWithTheSameNameLinksOnTheWritePath) {
  const Decision tagged =
      decide(person("jane", "doe", "jane+crm@acme.com"),
             {{9, person("jane", "doe", "jane@acme.com")}}, Thresholds{}, cold_start_model());
  EXPECT_EQ(tagged.action, Action::kLink) << tagged.rule;
  // Another mailbox at the same firm with the same name stays a human's call.
  const Decision other =
      decide(person("jane", "doe", "jane.doe@acme.com"),
             {{9, person("jane", "doe", "jdoe@acme.com")}}, Thresholds{}, cold_start_model());
  EXPECT_NE(other.action, Action::kLink) << other.rule;
}

}  // namespace
}  // namespace dedupe::golden
