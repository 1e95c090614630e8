// The DynamoDB log store's URL (the store itself is tested on moto in
// tests/integration/log/dynamodb_log_store_test.cc).
#include "adapters/dynamodb/log_store.h"

#include <gtest/gtest.h>

namespace strata::dynamodb {
namespace {

TEST(DynamoLogUrl, TableLogRegionEndpointAndProfile) {
  auto o = ParseLogUrl(
      "dynamodb://strata_log?log=acme%2Fprod&region=eu-west-1&endpoint=http%3A%2F%2F127.0.0.1%3A"
      "8000&profile=ops");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->table, "strata_log");
  EXPECT_EQ(o->log_id, "acme/prod");
  EXPECT_EQ(o->region, "eu-west-1");
  EXPECT_EQ(o->endpoint, "http://127.0.0.1:8000");
  EXPECT_EQ(o->profile, "ops");
  // An endpoint written plainly works too: only '&' ends a value.
  auto plain = ParseLogUrl("dynamodb://t.log-1?endpoint=http://127.0.0.1:8000/");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(plain->endpoint, "http://127.0.0.1:8000/");
  EXPECT_EQ(plain->log_id, "default");
  EXPECT_EQ(plain->region, "");  // the AWS environment decides
  auto bare = ParseLogUrl("dynamodb://strata_log/");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->table, "strata_log");
}

TEST(DynamoLogUrl, MistakesAreNamed) {
  auto table = ParseLogUrl("dynamodb://a?log=x");
  EXPECT_EQ(table.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(table.status().message(),
            "log dynamodb://a?log=x: \"a\" is not a DynamoDB table name (3 to 255 letters, "
            "digits, _ - and .); write dynamodb://TABLE?log=NAME");
  EXPECT_EQ(ParseLogUrl("dynamodb://?log=x").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseLogUrl("dynamodb://bad*name").status().code(), Code::kInvalidArgument);
  auto empty = ParseLogUrl("dynamodb://strata_log?log=");
  EXPECT_EQ(empty.status().message(),
            "log dynamodb://strata_log?log=: the log name (log=) is empty; name the log, e.g. "
            "log=acme/prod");
  auto hash = ParseLogUrl("dynamodb://strata_log?log=a%23b");
  EXPECT_EQ(hash.status().code(), Code::kInvalidArgument);
  EXPECT_NE(hash.status().message().find("\"a#b\" contains '#'"), std::string::npos)
      << hash.status().message();
  auto unknown = ParseLogUrl("dynamodb://strata_log?table=x");
  EXPECT_EQ(unknown.status().message(),
            "log dynamodb://strata_log?table=x: unknown parameter \"table\"; a dynamodb:// log "
            "takes log=, region=, endpoint= and profile=");
  auto endpoint = ParseLogUrl("dynamodb://strata_log?endpoint=127.0.0.1:8000");
  EXPECT_EQ(endpoint.status().code(), Code::kInvalidArgument);
  EXPECT_NE(endpoint.status().message().find("endpoint=127.0.0.1:8000 is not an http:// or "
                                             "https:// URL"),
            std::string::npos);
  EXPECT_EQ(ParseLogUrl("s3://bucket").status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace strata::dynamodb
