#include "adapters/aws/errors.h"

#include <gtest/gtest.h>

namespace strata::aws {
namespace {

TEST(ParseJsonErrorTest, TypeLosesItsNamespaceAndMessageIsRead) {
  HttpResponse r{400, {{"x-amzn-RequestId", "RID1"}},
                 R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",)"
                 R"("message":"Requested resource not found"})"};
  ServiceError e = ParseJsonError(r);
  EXPECT_EQ(e.code, "ResourceNotFoundException");
  EXPECT_EQ(e.message, "Requested resource not found");
  EXPECT_EQ(e.request_id, "RID1");
  EXPECT_EQ(e.http_status, 400);
}

TEST(ParseJsonErrorTest, HeaderTypeWinsAndCapitalMessageIsRead) {
  HttpResponse r{400, {{"X-Amzn-ErrorType", "EntityNotFoundException:http://internal/"}},
                 R"({"__type":"Other","Message":"Database x not found."})"};
  ServiceError e = ParseJsonError(r);
  EXPECT_EQ(e.code, "EntityNotFoundException");
  EXPECT_EQ(e.message, "Database x not found.");
}

TEST(ParseJsonErrorTest, NoCodeAnywhereIsTheHttpStatus) {
  ServiceError e = ParseJsonError(HttpResponse{503, {}, "Service Unavailable"});
  EXPECT_EQ(e.code, "HTTP 503");
  EXPECT_EQ(e.message, "");
}

TEST(ParseJsonErrorTest, XmlBodyIsReadAsQueryProtocolError) {
  ServiceError e = ParseJsonError(HttpResponse{
      403, {}, "<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>bad</Message>"
               "</Error><RequestId>R2</RequestId></ErrorResponse>"});
  EXPECT_EQ(e.code, "InvalidClientTokenId");
  EXPECT_EQ(e.message, "bad");
  EXPECT_EQ(e.request_id, "R2");
}

TEST(DescribeServiceErrorTest, PlainErrorReadsServiceOperationCodeMessage) {
  ServiceError e{400, "ResourceNotFoundException", "Requested resource not found", "", {}};
  EXPECT_EQ(DescribeServiceError("dynamodb", "DescribeTable", e, "", 1),
            "dynamodb DescribeTable: ResourceNotFoundException: Requested resource not found");
}

TEST(DescribeServiceErrorTest, CredentialsErrorSaysWhatToCheck) {
  ServiceError e{400, "UnrecognizedClientException", "The security token is invalid.", "", {}};
  EXPECT_EQ(DescribeServiceError("dynamodb", "ListTables", e, "profile dev", 1),
            "dynamodb ListTables: the dynamodb endpoint rejected the credentials "
            "(UnrecognizedClientException: The security token is invalid.): check AWS_PROFILE / "
            "AWS_ACCESS_KEY_ID (the credentials came from profile dev)");
}

TEST(DescribeServiceErrorTest, ExhaustedRetriesSayHowManyAttempts) {
  ServiceError e{400, "ThrottlingException", "Rate exceeded", "", {}};
  EXPECT_EQ(DescribeServiceError("glue", "GetTables", e, "", 3),
            "glue GetTables: ThrottlingException: Rate exceeded (gave up after 3 attempts)");
}

TEST(DescribeUnreachableTest, NamesEndpointServiceAndReason) {
  EXPECT_EQ(DescribeUnreachable("dynamodb", "http://127.0.0.1:1", "Couldn't connect to server", 1),
            "cannot reach http://127.0.0.1:1 (dynamodb): Couldn't connect to server; is the "
            "endpoint right and the server running?");
}

// A short secret is redacted only where it stands alone: inside a word it is part of the text.
TEST(RedactSecretsTest, ShortSecretsGoOnlyAsWholeTokens) {
  EXPECT_EQ(RedactSecrets("dynamodb rejected the key dy (dy, \"dy\")", {"dy"}),
            "dynamodb rejected the key <redacted> (<redacted>, \"<redacted>\")");
  // Within a run of credential characters it is not a token of its own.
  EXPECT_EQ(RedactSecrets("AKIA/dy+x", {"dy"}), "AKIA/dy+x");
  EXPECT_EQ(RedactSecrets("dynamodb: dyx xdy", {"dy"}), "dynamodb: dyx xdy");
  EXPECT_EQ(RedactSecrets("dy", {"dy"}), "<redacted>");
  // A secret of credential length goes even inside other text.
  EXPECT_EQ(RedactSecrets("sig=abcdEFGH1234xyz", {"abcdEFGH1234"}), "sig=<redacted>xyz");
}

TEST(RedactSecretsTest, EveryOccurrenceGoesAndEmptySecretsAreIgnored) {
  EXPECT_EQ(RedactSecrets("a SECRET b SECRET", {"SECRET", ""}), "a <redacted> b <redacted>");
  EXPECT_EQ(RedactSecrets("nothing", {}), "nothing");
}

TEST(IsCredentialsErrorTest, KnowsRejectionsButNotAuthorization) {
  EXPECT_TRUE(IsCredentialsError("UnrecognizedClientException"));
  EXPECT_TRUE(IsCredentialsError("InvalidSignatureException"));
  EXPECT_TRUE(IsCredentialsError("ExpiredTokenException"));
  EXPECT_FALSE(IsCredentialsError("AccessDeniedException"));
}

}  // namespace
}  // namespace strata::aws
