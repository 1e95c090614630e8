// What the strata binary loads before main: libcurl and libpq (and the thirty libraries behind
// them) are opened only by the commands that talk to AWS or PostgreSQL
// (adapters/common/shared_library.h), so a local command such as `show` does not pay for them.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

namespace {

TEST(StartupLibrariesTest, TheBinaryDoesNotLoadLibcurlOrLibpqBeforeMain) {
  const std::string command = std::string("ldd '") + STRATA_BINARY + "' 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  ASSERT_NE(pipe, nullptr);
  std::string listing;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe.get())) listing.append(buffer, n);
  ASSERT_NE(listing.find("libc.so"), std::string::npos) << listing;  // ldd listed them
  EXPECT_EQ(listing.find("libcurl"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("libpq"), std::string::npos) << listing;
}

}  // namespace
