// The PostgreSQL log store's URL (the store itself is tested on the real server in
// tests/integration/postgres/log_store_test.cc).
#include "adapters/postgres/log_store.h"

#include <gtest/gtest.h>

namespace strata::postgres {
namespace {

TEST(PostgresLogUrl, StrataParametersAreTakenOutAndTheRestIsLibpqs) {
  auto o = ParseLogUrl("postgres://strata@db:5432/ops?table=ops.log&log=acme%2Fprod&sslmode=require");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->conninfo, "postgres://strata@db:5432/ops?sslmode=require");
  EXPECT_EQ(o->table, "ops.log");
  EXPECT_EQ(o->log_id, "acme/prod");
  auto plain = ParseLogUrl("postgresql://127.0.0.1/app");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->conninfo, "postgresql://127.0.0.1/app");
  EXPECT_EQ(plain->table, "strata_log");
  EXPECT_EQ(plain->log_id, "default");
  auto bad = ParseLogUrl("postgres://h/db?table=x;drop");
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad.status().message(),
            "log postgres://h/db?table=x;drop: table=x;drop is not a table name (letters, digits "
            "and _, optionally schema.table)");
  EXPECT_EQ(ParseLogUrl("postgres://h/db?log=").status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace strata::postgres
