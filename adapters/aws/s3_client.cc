#include "adapters/aws/s3_client.h"

#include "adapters/aws/errors.h"
#include "adapters/aws/sigv4.h"
#include "adapters/aws/xml_text.h"

namespace strata::aws {
namespace {

bool IsAwsEndpoint(std::string_view url) {
  auto parts = SplitUrl(url);
  if (!parts.ok()) return false;
  std::string_view host = parts->authority;
  return host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn");
}

}  // namespace

S3Client::S3Client(std::shared_ptr<const ServiceClient> client, std::string bucket)
    : client_(std::move(client)), bucket_(std::move(bucket)) {
  // Buckets with dots do not match AWS's wildcard certificate as a host name: path style.
  path_style_ = !IsAwsEndpoint(client_->endpoint().url) || bucket_.find('.') != std::string::npos;
}

std::string S3Client::UrlFor(std::string_view key, std::string_view query) const {
  const std::string& base = client_->endpoint().url;
  std::string url;
  if (path_style_) {
    url = base + "/" + UriEncode(bucket_, false);
    if (!key.empty()) url += "/" + UriEncode(key, true);
  } else {
    const size_t scheme_end = base.find("://");
    url = base.substr(0, scheme_end + 3) + bucket_ + "." + base.substr(scheme_end + 3) + "/" +
          UriEncode(key, true);
  }
  if (!query.empty()) url += "?" + std::string(query);
  return url;
}

Result<HttpResponse> S3Client::Send(const std::string& operation, HttpRequest request,
                                    ServiceError* error) const {
  ServiceCall call;
  call.operation = operation;
  call.request = std::move(request);
  call.parse_error = ParseXmlError;
  return client_->Send(call, error);
}

Status S3Client::PutObjectIfAbsent(
    std::string_view key, std::string_view body,
    const std::vector<std::pair<std::string, std::string>>& metadata) const {
  HttpRequest request;
  request.method = "PUT";
  request.url = UrlFor(key);
  request.body = std::string(body);
  request.headers = {{"Content-Type", "application/octet-stream"}, {"If-None-Match", "*"}};
  for (const auto& [name, value] : metadata) request.headers.emplace_back("x-amz-meta-" + name, value);
  ServiceError error;
  auto r = Send("PutObject", std::move(request), &error);
  if (r.ok()) return Status::Ok();
  if (error.http_status == 412) {
    return Status::Conflict("s3 PutObject s3://" + bucket_ + "/" + std::string(key) +
                            ": the object exists already (412 PreconditionFailed)");
  }
  if (error.http_status == 409 && error.code == "ConditionalRequestConflict") {
    return Status::Aborted("s3 PutObject s3://" + bucket_ + "/" + std::string(key) +
                           ": another conditional write to it was in flight (409 "
                           "ConditionalRequestConflict); nothing was written");
  }
  return r.status();
}

Result<S3Object> S3Client::GetObject(std::string_view key) const {
  HttpRequest request;
  request.method = "GET";
  request.url = UrlFor(key);
  ServiceError error;
  STRATA_ASSIGN_OR_RETURN(HttpResponse response, Send("GetObject", std::move(request), &error));
  return S3Object{std::move(response.body), std::move(response.headers)};
}

Result<S3ListPage> S3Client::ListObjectsV2(const S3ListRequest& list) const {
  // Query parameters in the order the canonical request sorts them.
  std::string query;
  if (!list.continuation_token.empty()) {
    query += "continuation-token=" + UriEncode(list.continuation_token, false) + "&";
  }
  query += "list-type=2&max-keys=" + std::to_string(list.max_keys);
  query += "&prefix=" + UriEncode(list.prefix, false);
  if (!list.start_after.empty()) query += "&start-after=" + UriEncode(list.start_after, false);
  HttpRequest request;
  request.method = "GET";
  request.url = UrlFor("", query);
  ServiceError error;
  STRATA_ASSIGN_OR_RETURN(HttpResponse response,
                          Send("ListObjectsV2", std::move(request), &error));
  auto page = ParseListObjectsV2(response.body);
  if (!page.ok()) {
    return page.status().WithContext("s3 ListObjectsV2 s3://" + bucket_ + "/" + list.prefix);
  }
  return page;
}

Status S3Client::DeleteObject(std::string_view key) const {
  HttpRequest request;
  request.method = "DELETE";
  request.url = UrlFor(key);
  ServiceError error;
  return Send("DeleteObject", std::move(request), &error).status();
}

Status S3Client::CreateBucket() const {
  HttpRequest request;
  request.method = "PUT";
  request.url = UrlFor("");
  const std::string& region = client_->endpoint().region;
  if (!region.empty() && region != "us-east-1") {
    request.body =
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<LocationConstraint>" + region + "</LocationConstraint></CreateBucketConfiguration>";
  }
  ServiceError error;
  auto r = Send("CreateBucket", std::move(request), &error);
  if (r.ok()) return Status::Ok();
  if (error.code == "BucketAlreadyOwnedByYou" || error.code == "BucketAlreadyExists") {
    return Status::AlreadyExists("s3 CreateBucket " + bucket_ + ": " + error.code);
  }
  return r.status();
}

Result<S3ListPage> ParseListObjectsV2(std::string_view xml) {
  if (xml.find("<ListBucketResult") == std::string_view::npos) {
    return Status::InvalidArgument("the answer is not a ListBucketResult");
  }
  S3ListPage page;
  size_t at = 0;
  while (true) {
    const size_t open = xml.find("<Contents>", at);
    if (open == std::string_view::npos) break;
    const size_t close = xml.find("</Contents>", open);
    if (close == std::string_view::npos) {
      return Status::InvalidArgument("a <Contents> element of the listing is not closed");
    }
    auto key = XmlText(xml.substr(open, close - open), "Key");
    if (!key) return Status::InvalidArgument("a <Contents> element of the listing has no <Key>");
    page.keys.push_back(std::move(*key));
    at = close;
  }
  if (XmlText(xml, "IsTruncated").value_or("false") == "true") {
    page.next_continuation_token = XmlText(xml, "NextContinuationToken").value_or("");
    if (page.next_continuation_token.empty()) {
      return Status::InvalidArgument("a truncated listing without a NextContinuationToken");
    }
  }
  return page;
}

}  // namespace strata::aws
