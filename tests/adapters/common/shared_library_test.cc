// Opening client libraries on first use: a missing library is a clear refusal naming what to
// install, and a present one gives its functions. (That the strata binary does not load libcurl
// or libpq at startup is tests/cli/startup_libraries_test.cc.)
#include "adapters/common/shared_library.h"

#include <gtest/gtest.h>

#include <string>

namespace strata::common {
namespace {

TEST(SharedLibraryTest, AMissingLibraryIsRefusedWithWhatNeedsItAndWhatToInstall) {
  const SharedLibrary missing{"libstrata-test-missing.so.9", "Testing the loader",
                              "strata-test-missing"};
  Status s = LoadSharedLibrary(missing);
  ASSERT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("Testing the loader needs the shared library "
                             "libstrata-test-missing.so.9"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("apt-get install strata-test-missing"), std::string::npos)
      << s.message();
  // The outcome is kept: a second call says the same without trying again.
  EXPECT_EQ(LoadSharedLibrary(missing).message(), s.message());
}

TEST(SharedLibraryTest, APresentLibraryGivesItsFunctions) {
  const SharedLibrary zlib{"libz.so.1", "Testing the loader", "zlib1g"};
  ASSERT_TRUE(LoadSharedLibrary(zlib).ok());
  using Version = const char* (*)();
  auto version = SharedLibraryFunction<Version>(zlib, "zlibVersion");
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(std::string(version()).substr(0, 2), "1.");
}

TEST(SharedLibraryDeathTest, CallingIntoAMissingLibraryEndsWithTheSameMessage) {
  const SharedLibrary missing{"libstrata-test-absent.so.3", "Testing the loader",
                              "strata-test-absent"};
  EXPECT_EXIT(SharedLibrarySymbol(missing, "anything"), ::testing::ExitedWithCode(70),
              "strata: Testing the loader needs the shared library libstrata-test-absent.so.3");
}

}  // namespace
}  // namespace strata::common
