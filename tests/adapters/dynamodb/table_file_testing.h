// Helpers shared by the table file tests (table_file_test.cc and the tests of each reader):
// parse text as a named file and get the table or the error message.
#pragma once

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "adapters/dynamodb/table_file.h"

namespace strata::dynamodb::testing {

inline pb::DynamoTable Proto(const std::string& text) {
  pb::DynamoTable t;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &t)) << text;
  return t;
}

// The parsed table, or an empty one after a test failure naming the error.
inline pb::DynamoTable Parsed(std::string_view text, std::string_view file) {
  Result<pb::DynamoTable> r = ParseTableFile(text, file);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : pb::DynamoTable();
}

// The InvalidArgument message parsing `text` as `file` gives ("OK" when it parses).
inline std::string ErrorOf(std::string_view text, std::string_view file) {
  Result<pb::DynamoTable> r = ParseTableFile(text, file);
  if (r.ok()) return "OK";
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << r.status().ToString();
  return r.status().message();
}

inline void ExpectSame(const pb::DynamoTable& expected, const pb::DynamoTable& actual) {
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(expected, actual))
      << "expected:\n" << expected.DebugString() << "actual:\n" << actual.DebugString();
}

}  // namespace strata::dynamodb::testing
