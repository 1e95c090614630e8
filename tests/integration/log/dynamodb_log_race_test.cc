// Sixteen writer processes (log_race_writer, recording tags and deployment records through the
// Recorder) append 16 x 63 = 1,008 commits at once to one DynamoDB log on moto, behind a fault
// proxy that forwards one request at a time (moto checks a condition and then writes with no
// lock between the two; DynamoDB itself decides such races atomically). Every commit a writer
// was told was recorded is in the log exactly once at its seq, seqs are dense, nonces unique,
// and `strata verify` on a project naming the store passes.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <iostream>

#include "integration/log/dynamodb_test_support.h"
#include "integration/log/log_race.h"

namespace strata::dynamodb {
namespace {

TEST(DynamoLogRaceTest, SixteenWritersAppendOneLinearChainWithEveryAcknowledgedCommitOnce) {
  strata::testing::SerializingProxy proxy;
  const std::string table = strata::testing::UniqueTable("race");
  // The table first, so the writers meet an existing one (creation is tested elsewhere).
  ASSERT_NE(strata::testing::OpenLog(proxy.url(), strata::testing::LogOptions(table, "race")),
            nullptr);
  strata::testing::LogRace race;
  race.url = strata::testing::LogUrl(table, "race", proxy.url());
  race.env = strata::testing::StrataAwsEnvironment();
  race.writers = 16;
  race.each = 63;  // 1,008 in all
  race.open_reader = [&] {
    return std::unique_ptr<LogStore>(
        strata::testing::OpenLog(proxy.url(), strata::testing::LogOptions(table, "race")));
  };
  const auto result = strata::testing::RunLogRace(race);
  const int requests = proxy.Stats()["requests"].get<int>();
  std::cout << fmt::format(
      "{} writers x {} commits on DynamoDB (moto, serialized): {:.1f} s, {} requests ({:.1f} "
      "per commit)\n",
      race.writers, race.each, result.write_seconds, requests,
      static_cast<double>(requests) / static_cast<double>(result.claimed));
  RecordProperty("wall_seconds", fmt::format("{:.1f}", result.write_seconds));
  strata::testing::DropLogTable(table);
}

}  // namespace
}  // namespace strata::dynamodb
