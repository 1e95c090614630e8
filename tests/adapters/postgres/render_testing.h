// Helpers of the renderer's tests: a schema from protobuf text, one object's DDL, where a
// statement stands in a script.
#pragma once

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <string>

#include "adapters/postgres/render.h"

namespace strata::postgres::render_testing {

inline pb::PostgresSchema Parse(const std::string& text) {
  pb::PostgresSchema s;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &s)) << text;
  return s;
}

inline std::string Ddl(const pb::PostgresSchema& s, const std::string& key) {
  auto r = RenderObjectDdl(s, key);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : "";
}

// Where `needle` starts in `haystack`; fails the test when absent.
inline size_t At(const std::string& haystack, const std::string& needle) {
  size_t at = haystack.find(needle);
  EXPECT_NE(at, std::string::npos) << "missing: " << needle;
  return at;
}

}  // namespace strata::postgres::render_testing
