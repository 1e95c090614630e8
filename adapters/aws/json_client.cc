#include "adapters/aws/json_client.h"

#include "adapters/aws/errors.h"

namespace strata::aws {
namespace {

class JsonClient : public JsonService {
 public:
  JsonClient(std::shared_ptr<const ServiceClient> client, JsonProtocol protocol)
      : client_(std::move(client)), protocol_(std::move(protocol)) {}

  Result<nlohmann::json> Call(std::string_view operation, const nlohmann::json& input,
                              ServiceError* error) override {
    ServiceCall call;
    call.operation = std::string(operation);
    call.parse_error = &ParseJsonError;
    call.request.method = "POST";
    call.request.url = client_->endpoint().url + "/";
    call.request.headers = {
        {"Content-Type", "application/x-amz-json-" + protocol_.version},
        {"X-Amz-Target", protocol_.target_prefix + "." + call.operation},
    };
    call.request.body = input.is_null() ? "{}" : input.dump();
    STRATA_ASSIGN_OR_RETURN(HttpResponse response, client_->Send(call, error));
    if (response.body.empty()) return nlohmann::json::object();
    nlohmann::json output = nlohmann::json::parse(response.body, nullptr, false);
    // Every answer of the JSON protocols is an object; callers read it as one (value(),
    // operator[]), which would throw on anything else from a broken proxy or server.
    if (output.is_discarded() || !output.is_object()) {
      return Status::Unavailable(std::string(service()) + " " + call.operation + ": the answer is " +
                                 (output.is_discarded() ? "not JSON" : "not a JSON object") +
                                 " (HTTP " + std::to_string(response.status) + ", " +
                                 std::to_string(response.body.size()) + " bytes)");
    }
    return output;
  }

  std::string_view service() const override { return client_->endpoint().service; }

 private:
  const std::shared_ptr<const ServiceClient> client_;
  const JsonProtocol protocol_;
};

}  // namespace

std::unique_ptr<JsonService> NewJsonService(std::shared_ptr<const ServiceClient> client,
                                            JsonProtocol protocol) {
  return std::make_unique<JsonClient>(std::move(client), std::move(protocol));
}

}  // namespace strata::aws
