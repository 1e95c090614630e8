// The S3 log store's pure parts and its client over a scripted transport: the s3:// URL, the
// listing parser, addressing (path style on an endpoint, virtual host on AWS), the one
// conditional header sent, and how 412 / 409 / a lost answer come back. The store against moto
// is in tests/integration/s3/.
#include "adapters/aws/s3_log_store.h"

#include <gtest/gtest.h>

#include "adapters/aws/sigv4.h"
#include "tests/adapters/aws/fake_http.h"

namespace strata::aws {
namespace {

using testing::FakeHttpClient;

TEST(S3LogUrlTest, BucketPrefixAndParameters) {
  auto u = ParseS3LogUrl(
      "s3://acme-schema/strata/prod/?region=eu-west-1&endpoint=http%3A%2F%2F127.0.0.1%3A9000/"
      "&profile=ops");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->bucket, "acme-schema");
  EXPECT_EQ(u->prefix, "strata/prod");
  EXPECT_EQ(u->region, "eu-west-1");
  EXPECT_EQ(u->endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(u->profile, "ops");
}

TEST(S3LogUrlTest, ABucketAloneIsALogAtItsRoot) {
  for (const std::string url : {"s3://acme-schema", "s3://acme-schema/", "s3://acme-schema?"}) {
    auto u = ParseS3LogUrl(url);
    ASSERT_TRUE(u.ok()) << url << ": " << u.status().ToString();
    EXPECT_EQ(u->bucket, "acme-schema") << url;
    EXPECT_EQ(u->prefix, "") << url;
    EXPECT_EQ(u->region, "") << url;
    EXPECT_EQ(u->endpoint, "") << url;
  }
}

TEST(S3LogUrlTest, BadURLsAreRefusedNamingWhatIsWrong) {
  struct Case {
    std::string url, message;
  };
  for (const Case& c : std::vector<Case>{
           {"s3:/acme/x", "an S3 log URL starts with s3://"},
           {"s3://Acme/x", "'Acme' is not an S3 bucket name"},
           {"s3://ab/x", "'ab' is not an S3 bucket name"},
           {"s3:///x", "'' is not an S3 bucket name"},
           {"s3://acme_schema/x", "'acme_schema' is not an S3 bucket name"},
           {"s3://acme/a//b", "the prefix 'a//b' has an empty path segment"},
           {"s3://acme/x?table=t", "unknown parameter 'table' (an S3 log takes region=, "
                                   "endpoint= and profile=)"},
           {"s3://acme/x?endpoint=127.0.0.1:9000", "endpoint=127.0.0.1:9000 is not an http://"},
       }) {
    auto u = ParseS3LogUrl(c.url);
    ASSERT_FALSE(u.ok()) << c.url;
    EXPECT_EQ(u.status().code(), Code::kInvalidArgument) << c.url;
    EXPECT_NE(u.status().message().find("log " + c.url + ": "), std::string::npos)
        << u.status().message();
    EXPECT_NE(u.status().message().find(c.message), std::string::npos) << u.status().message();
  }
}

TEST(S3ListTest, KeysInOrderAndTheContinuationToken) {
  auto page = ParseListObjectsV2(
      "<?xml version=\"1.0\"?><ListBucketResult><Name>b</Name><IsTruncated>true</IsTruncated>"
      "<Contents><Key>p/log/1.commit</Key><Size>3</Size></Contents>"
      "<Contents><Key>p/log/a&amp;b</Key></Contents>"
      "<NextContinuationToken>tok/+=</NextContinuationToken></ListBucketResult>");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->keys, (std::vector<std::string>{"p/log/1.commit", "p/log/a&b"}));
  EXPECT_EQ(page->next_continuation_token, "tok/+=");

  auto last = ParseListObjectsV2(
      "<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount>"
      "</ListBucketResult>");
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last->keys.empty());
  EXPECT_EQ(last->next_continuation_token, "");

  EXPECT_FALSE(ParseListObjectsV2("<Error><Code>x</Code></Error>").ok());
  EXPECT_FALSE(ParseListObjectsV2("<ListBucketResult><IsTruncated>true</IsTruncated>"
                                  "</ListBucketResult>")
                   .ok());
}

struct Harness {
  std::shared_ptr<FakeHttpClient> http = std::make_shared<FakeHttpClient>();
  std::shared_ptr<const ServiceClient> Service(const std::string& url) {
    ServiceClientParts parts;
    parts.http = http;
    parts.credentials = NewStaticCredentialsProvider({"AKID", "SECRETsecretSECRET", "", {}, "a test"});
    RetryOptions retry;
    parts.quota = std::make_shared<RetryQuota>(retry);
    parts.retry = retry;
    parts.environment.clock = [] { return std::chrono::system_clock::from_time_t(1700000000); };
    parts.environment.sleep = [](std::chrono::milliseconds) {};
    parts.environment.random = [] { return 0.5; };
    return std::make_shared<ServiceClient>(ServiceEndpoint{"s3", "eu-west-1", url}, parts);
  }
};

FakeHttpClient::Answer S3Error(int status, const std::string& code) {
  return FakeHttpClient::Ok("<?xml version=\"1.0\"?><Error><Code>" + code +
                                "</Code><Message>m</Message></Error>",
                            status);
}

TEST(S3ClientTest, PathStyleOnAnEndpointVirtualHostOnAws) {
  Harness h;
  S3Client local(h.Service("http://127.0.0.1:9000"), "acme");
  EXPECT_TRUE(local.path_style());
  EXPECT_EQ(local.UrlFor("p/log/0001.commit"), "http://127.0.0.1:9000/acme/p/log/0001.commit");
  EXPECT_EQ(local.UrlFor("", "list-type=2"), "http://127.0.0.1:9000/acme?list-type=2");
  S3Client aws(h.Service("https://s3.eu-west-1.amazonaws.com"), "acme");
  EXPECT_FALSE(aws.path_style());
  EXPECT_EQ(aws.UrlFor("a b/c"), "https://acme.s3.eu-west-1.amazonaws.com/a%20b/c");
  // A bucket with dots would not match AWS's certificate as a host name.
  S3Client dotted(h.Service("https://s3.eu-west-1.amazonaws.com"), "acme.logs");
  EXPECT_TRUE(dotted.path_style());
}

TEST(S3ClientTest, TheOnlyConditionSentIsIfNoneMatchStarWithTheMetadataSigned) {
  Harness h;
  h.http->Then(FakeHttpClient::Ok(""));
  S3Client client(h.Service("http://127.0.0.1:9000"), "acme");
  ASSERT_TRUE(client.PutObjectIfAbsent("p/log/x", "bytes", {{"strata-sha256", "abc"}}).ok());
  const HttpRequest sent = h.http->sent().at(0);
  EXPECT_EQ(sent.method, "PUT");
  EXPECT_EQ(sent.body, "bytes");
  EXPECT_EQ(FindHeader(sent.headers, "If-None-Match"), "*");
  EXPECT_EQ(FindHeader(sent.headers, "If-Match"), "");
  EXPECT_EQ(FindHeader(sent.headers, "x-amz-meta-strata-sha256"), "abc");
  EXPECT_EQ(FindHeader(sent.headers, "x-amz-content-sha256"), Sha256Hex("bytes"));
  const std::string_view auth = FindHeader(sent.headers, "Authorization");
  EXPECT_NE(auth.find("/eu-west-1/s3/aws4_request"), std::string_view::npos) << auth;
  EXPECT_NE(auth.find("if-none-match"), std::string_view::npos) << auth;
  EXPECT_NE(auth.find("x-amz-meta-strata-sha256"), std::string_view::npos) << auth;
}

TEST(S3ClientTest, PreconditionFailedIsAConflictAndConditionalRequestConflictIsAborted) {
  Harness h;
  h.http->Then(S3Error(412, "PreconditionFailed"))
      .Then(S3Error(409, "ConditionalRequestConflict"))
      .Then(S3Error(409, "OperationAborted"));
  S3Client client(h.Service("http://127.0.0.1:9000"), "acme");
  Status taken = client.PutObjectIfAbsent("k", "b", {});
  EXPECT_EQ(taken.code(), Code::kConflict) << taken.ToString();
  EXPECT_NE(taken.message().find("s3://acme/k: the object exists already (412"),
            std::string::npos)
      << taken.ToString();
  EXPECT_EQ(client.PutObjectIfAbsent("k", "b", {}).code(), Code::kAborted);
  // Another 409 is not the conditional race: it stays a refusal.
  EXPECT_EQ(client.PutObjectIfAbsent("k", "b", {}).code(), Code::kFailedPrecondition);
  EXPECT_EQ(h.http->sent().size(), 3u);  // none of these is retried by the transport
}

TEST(S3ClientTest, ALostAnswerIsRetriedAndAPreconditionFailedAfterItIsStillAConflict) {
  // The first attempt may have created the object: the retry's 412 cannot tell; the caller
  // (the Recorder) looks.
  Harness h;
  h.http->Then(FakeHttpClient::Fail(TransportError::kOther, "connection reset"))
      .Then(S3Error(412, "PreconditionFailed"));
  S3Client client(h.Service("http://127.0.0.1:9000"), "acme");
  EXPECT_EQ(client.PutObjectIfAbsent("k", "b", {}).code(), Code::kConflict);
  EXPECT_EQ(h.http->sent().size(), 2u);
}

TEST(S3LogStoreUnitTest, EntryKeysAreTwentyDigitsUnderLogAndDescribeNamesTheEndpoint) {
  Harness h;
  S3LogStoreOptions o;
  o.client = std::make_shared<const S3Client>(h.Service("http://127.0.0.1:9000"), "acme");
  o.prefix = "team/prod";
  S3LogStore store(o);
  EXPECT_EQ(store.EntryKey(1), "team/prod/log/00000000000000000001.commit");
  EXPECT_EQ(store.EntryKey(18446744073709551615ull), "team/prod/log/18446744073709551615.commit");
  EXPECT_EQ(store.Describe(), "S3 log s3://acme/team/prod (endpoint http://127.0.0.1:9000)");
  EXPECT_TRUE(store.shared());
  o.prefix = "";
  EXPECT_EQ(S3LogStore(o).EntryKey(7), "log/00000000000000000007.commit");
}

TEST(S3LogStoreUnitTest, AKeyThatIsNotAnEntryIsCorruptionNamingIt) {
  Harness h;
  h.http->Then(FakeHttpClient::Ok(
      "<ListBucketResult><IsTruncated>false</IsTruncated>"
      "<Contents><Key>p/log/00000000000000000001.commit</Key></Contents>"
      "<Contents><Key>p/log/notes.txt</Key></Contents></ListBucketResult>"));
  S3LogStoreOptions o;
  o.client = std::make_shared<const S3Client>(h.Service("http://127.0.0.1:9000"), "acme");
  o.prefix = "p";
  S3LogStore store(o);
  auto head = store.ReadHead();
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.status().code(), Code::kCorruption);
  EXPECT_NE(head.status().message().find("p/log/notes.txt is not a log entry"), std::string::npos)
      << head.status().ToString();
  const HttpRequest list = h.http->sent().at(0);
  EXPECT_EQ(list.url,
            "http://127.0.0.1:9000/acme?list-type=2&max-keys=1000&prefix=p%2Flog%2F&start-after="
            "p%2Flog%2F00000000000000000000.commit");
}

}  // namespace
}  // namespace strata::aws
