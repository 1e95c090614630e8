// The transport's pure helpers and option checks; the curl client itself is exercised against
// real servers in tests/integration/aws.
#include "adapters/aws/http.h"

#include <gtest/gtest.h>

namespace strata::aws {
namespace {

TEST(SplitUrlTest, SchemeAuthorityPathQuery) {
  auto url = SplitUrl("http://127.0.0.1:8000/a/b?x=1&y=2");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->scheme, "http");
  EXPECT_EQ(url->authority, "127.0.0.1:8000");
  EXPECT_EQ(url->path, "/a/b");
  EXPECT_EQ(url->query, "x=1&y=2");
}

TEST(SplitUrlTest, NoPathIsSlashAndQueryWithoutPathWorks) {
  auto bare = SplitUrl("https://dynamodb.us-east-1.amazonaws.com");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->path, "/");
  EXPECT_EQ(bare->query, "");
  auto query = SplitUrl("https://h?a=b");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->authority, "h");
  EXPECT_EQ(query->path, "/");
  EXPECT_EQ(query->query, "a=b");
}

TEST(SplitUrlTest, RelativeOrHostlessUrlsAreInvalid) {
  EXPECT_EQ(SplitUrl("dynamodb.amazonaws.com/").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(SplitUrl("http:///path").status().code(), Code::kInvalidArgument);
}

TEST(HeadersTest, FindIsCaseInsensitiveAndSetReplacesEveryCopy) {
  Headers headers = {{"Content-Type", "a"}, {"x-amz-date", "1"}, {"X-Amz-Date", "2"}};
  EXPECT_EQ(FindHeader(headers, "content-type"), "a");
  EXPECT_EQ(FindHeader(headers, "missing"), "");
  SetHeader(headers, "X-AMZ-DATE", "3");
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers[1], (std::pair<std::string, std::string>{"X-AMZ-DATE", "3"}));
}

TEST(NewCurlHttpClientTest, RejectsNonPositiveTimeouts) {
  HttpOptions options;
  options.connect_timeout = std::chrono::milliseconds(0);
  auto client = NewCurlHttpClient(options);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(NewCurlHttpClient(HttpOptions{}).ok());
}

TEST(CurlHttpClientTest, RefusedConnectionIsUnavailableAndClassified) {
  auto client = NewCurlHttpClient(HttpOptions{});
  ASSERT_TRUE(client.ok());
  HttpRequest request;
  request.url = "http://127.0.0.1:1/";
  TransportError error = TransportError::kNone;
  auto response = (*client)->Send(request, &error);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), Code::kUnavailable);
  EXPECT_EQ(response.status().message(), "Couldn't connect to server");
  EXPECT_EQ(error, TransportError::kConnect);
}

TEST(CurlHttpClientTest, OnlyHttpAndHttpsAreSpoken) {
  auto client = NewCurlHttpClient(HttpOptions{});
  ASSERT_TRUE(client.ok());
  HttpRequest request;
  request.url = "file:///etc/passwd";
  auto response = (*client)->Send(request, nullptr);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace strata::aws
