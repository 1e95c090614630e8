// Helpers shared by the Glue DDL tests: parse a statement that must parse, take the message of
// one that must not, and compare tables with a readable difference.
#pragma once

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "adapters/glue/ddl.h"

namespace strata::glue::testing {

inline ParsedTable Parsed(std::string_view text, std::string_view file = "sales/t.sql") {
  Result<ParsedTable> parsed = ParseCreateTable(text, file);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << text;
  return parsed.ok() ? *parsed : ParsedTable{};
}

inline pb::GlueTable Table(std::string_view text) { return Parsed(text).table; }

// The message of a statement that must not parse (InvalidArgument, as every DDL error is).
inline std::string ParseError(std::string_view text, std::string_view file = "sales/t.sql") {
  Result<ParsedTable> parsed = ParseCreateTable(text, file);
  EXPECT_FALSE(parsed.ok()) << "parsed, but should not have:\n" << text;
  EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument) << parsed.status().ToString();
  return parsed.status().message();
}

// Equality of two tables, with the difference as the failure message.
inline ::testing::AssertionResult SameTable(const pb::GlueTable& want, const pb::GlueTable& got) {
  google::protobuf::util::MessageDifferencer d;
  std::string report;
  d.ReportDifferencesToString(&report);
  if (d.Compare(want, got)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << report;
}

// A table written in protobuf text format, for expectations.
inline pb::GlueTable TableProto(const std::string& text) {
  pb::GlueTable table;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &table)) << text;
  return table;
}

}  // namespace strata::glue::testing
