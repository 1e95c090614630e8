// PostgreSQL events and states for engine tests: events from protobuf text, states wrapped as
// a schema source's, and a fixture that applies events and checks failures leave no trace.
#pragma once

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>

#include "engine/state/apply.h"

namespace strata::testing {

// An event from the text of a PostgresChange ("create_table { ... }"); "" is an unset change.
inline pb::Event PgEvent(const std::string& text) {
  pb::Event e;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString("postgres { " + text + " }", &e))
      << text;
  return e;
}

inline pb::SchemaState PgState(const pb::PostgresSchema& s) {
  pb::SchemaState state;
  state.set_engine(pb::ENGINE_POSTGRES);
  *state.mutable_postgres() = s;
  return state;
}

// Applies events to state_: ExpectOk stops the test on a failure; ExpectError checks the
// code and message and that the state did not change.
class PgApplyFixture : public ::testing::Test {
 protected:
  void ExpectOk(const std::string& event) {
    Status s = Apply(PgEvent(event), &state_);
    ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << event;
  }
  void ExpectError(const std::string& event, Code code, const std::string& message) {
    pb::SchemaState before = state_;
    Status s = Apply(PgEvent(event), &state_);
    EXPECT_EQ(s.code(), code) << s.ToString();
    EXPECT_EQ(s.message(), message);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(before, state_))
        << "state changed by a failed event";
  }
  const pb::PostgresSchema& S() const { return state_.postgres(); }

  pb::SchemaState state_;
};

}  // namespace strata::testing
