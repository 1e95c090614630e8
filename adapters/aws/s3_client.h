// S3Client: the few S3 object calls a log kept in a bucket needs (REST-XML over ServiceClient,
// which signs with SigV4 and retries as the standard mode says): a create-only PutObject, GetObject,
// ListObjectsV2, DeleteObject and CreateBucket. Addressing is virtual-host style
// (https://BUCKET.s3.REGION.amazonaws.com/KEY) on AWS's own endpoint and path style
// (ENDPOINT/BUCKET/KEY) on any other endpoint (moto, S3-compatible stores).
//
// The only conditional header it ever sends is `If-None-Match: *`: AWS accepts no other value,
// and some stores silently treat other values as no condition at all.
// Thread-safe (ServiceClient is, and the client keeps no state of its own).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/aws/http.h"
#include "adapters/aws/service_client.h"
#include "engine/status.h"

namespace strata::aws {

struct S3Object {
  std::string body;
  Headers headers;  // the answer's headers (x-amz-meta-*, ETag, ...)
};

struct S3ListRequest {
  std::string prefix;
  std::string start_after;         // only keys sorting after this one
  std::string continuation_token;  // from the previous page
  int max_keys = 1000;             // S3's largest page
};

struct S3ListPage {
  std::vector<std::string> keys;   // in the bucket's (lexicographic) order
  std::string next_continuation_token;  // empty on the last page
};

class S3Client {
 public:
  // `client` is a ServiceClient for service "s3" (Session::Client("s3")).
  S3Client(std::shared_ptr<const ServiceClient> client, std::string bucket);

  // PUT `key` with `If-None-Match: *` and the given x-amz-meta-* headers ({"strata-sha256",
  // "..."} becomes x-amz-meta-strata-sha256). Ok when the object was created; Conflict for 412
  // PreconditionFailed (an object `key` exists; after a retried attempt it may be this very
  // write); Aborted for 409 ConditionalRequestConflict (another conditional write to the key
  // was in flight: nothing was written, try again); Unavailable when no answer came (the write
  // may have been applied); other codes as ServiceClient::Send gives them.
  Status PutObjectIfAbsent(std::string_view key, std::string_view body,
                           const std::vector<std::pair<std::string, std::string>>& metadata) const;
  // The object's bytes and headers. NotFound for a missing key.
  Result<S3Object> GetObject(std::string_view key) const;
  // One page of keys. Failures as ServiceClient::Send gives them.
  Result<S3ListPage> ListObjectsV2(const S3ListRequest& request) const;
  // Removes `key` (Ok when it was already absent).
  Status DeleteObject(std::string_view key) const;
  // Creates the bucket (with the client's region as its location outside us-east-1).
  // AlreadyExists when it exists.
  Status CreateBucket() const;

  const std::string& bucket() const { return bucket_; }
  // The endpoint requests go to: "http://127.0.0.1:5000", "https://s3.eu-west-1.amazonaws.com".
  const std::string& endpoint() const { return client_->endpoint().url; }
  // True when requests are path style (ENDPOINT/BUCKET/KEY).
  bool path_style() const { return path_style_; }
  // The URL of `key` ("" for the bucket itself), path and query percent-encoded.
  std::string UrlFor(std::string_view key, std::string_view query = {}) const;

 private:
  Result<HttpResponse> Send(const std::string& operation, HttpRequest request,
                            ServiceError* error) const;

  std::shared_ptr<const ServiceClient> client_;
  std::string bucket_;
  bool path_style_ = true;
};

// The keys listed in a ListObjectsV2 answer, and its NextContinuationToken (empty when the
// answer is not truncated). Pure; InvalidArgument for an answer that is not a ListBucketResult.
Result<S3ListPage> ParseListObjectsV2(std::string_view xml);

}  // namespace strata::aws
