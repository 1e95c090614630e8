// Sixteen writer processes append to one PostgreSQL log at once (log_race_writer, each
// recording tags and deployment records through the Recorder): every commit a writer was told
// was recorded is in the log exactly once at the seq it was told, the seqs are dense, every
// writer nonce appears once, and `strata verify` on a project naming the store passes.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "adapters/postgres/log_store.h"
#include "integration/log/log_race.h"
#include "integration/postgres/test_database.h"

namespace strata::postgres {
namespace {

using strata::testing::TestDatabase;

TEST(LogRaceTest, SixteenWritersAppendOneLinearChainWithEveryAcknowledgedCommitOnce) {
  TestDatabase db;
  strata::testing::LogRace race;
  race.url = fmt::format("postgres://127.0.0.1:{}/{}?user=postgres&table=strata_log&log=race",
                         strata::testing::TestClusterPort(), db.name());
  race.env = {"PATH=/usr/bin:/bin"};
  race.writers = 16;
  race.each = 64;  // 1,024 in all
  race.open_reader = [&]() -> std::unique_ptr<LogStore> {
    PostgresLogStoreOptions o;
    o.conninfo = db.conninfo();
    o.log_id = "race";
    auto store = PostgresLogStore::Open(o);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  };
  strata::testing::RunLogRace(race);
}

}  // namespace
}  // namespace strata::postgres
