#include "engine/state/objects.h"

#include <algorithm>

#include "engine/state/postgres_keys.h"

namespace strata {

std::vector<std::string> TouchedObjects(const pb::Event& event, const pb::SchemaState& before) {
  std::vector<std::string> out;
  switch (event.kind_case()) {
    case pb::Event::kDynamodb: TouchedDynamo(event.dynamodb(), &out); break;
    case pb::Event::kGlue: TouchedGlue(event.glue(), before.glue(), &out); break;
    case pb::Event::kPostgres: TouchedPostgres(event.postgres(), &out); break;
    case pb::Event::KIND_NOT_SET: break;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> ObjectAndParents(const std::string& object) {
  std::vector<std::string> out;
  if (!PgIsGlobalObject(object)) {
    std::string head = object.substr(0, object.find('('));
    size_t dot = head.find('.');
    if (dot != std::string::npos && dot > 0) out.push_back(object.substr(0, dot));
  }
  out.push_back(object);
  return out;
}

}  // namespace strata
